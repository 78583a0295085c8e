// WsConnection's output queue against a peer that does not read (or reads
// late): what the cap counts, pongs coalesced, and a backlog's share of a
// loop turn. Outcomes only: what was closed, what arrived, in what order.
#include <gtest/gtest.h>

#include <cstdio>

#include "net/ws_harness.hpp"

namespace sio::net::test {
namespace {

TEST(WsConnectionOutput, TinyFramesNeverReadReachTheCapByWhatTheyReallyCost) {
  // 1-byte messages are 3 bytes on the wire but a queue slot and an
  // allocation each in memory: the cap must close the connection long before
  // 1 MiB / 3 B (~350,000) frames are queued.
  AsioLoop loop(0);
  Peer peer;
  WsConnection::Limits limits;
  limits.max_buffered = 1u << 20;
  auto conn = connect(loop, peer, limits, kSmallBuffer);
  Recorder rec;
  conn->start(&rec, {});
  std::size_t sent = 0;
  for (; sent < 100'000 && conn->open(); ++sent) {
    EXPECT_LE(conn->queued_cost(), limits.max_buffered);
    conn->send(wire::SharedBytes::copy_of("x"), false);
  }
  EXPECT_FALSE(conn->open()) << "still open after " << sent << " unread frames";
  EXPECT_LT(sent, 50'000u);
  EXPECT_GT(sent, 5'000u);  // 1 MiB / (3 B + 24 B slot x up to 2 + 32 B)
  EXPECT_TRUE(rec.closed);
  EXPECT_EQ(rec.ec, make_error_code(errc::eio_slow_consumer));
  // The unsent messages are dropped; the peer gets the close frame (1008).
  ASSERT_TRUE(run_until(loop, [&] {
    peer.read_available();
    return peer.eof;
  }));
  const Frames f = Frames::parse(peer.in);
  ASSERT_EQ(f.frames.size(), 1u);
  EXPECT_EQ(f.close_code, ws::close_code::policy_violation);
}

TEST(WsConnectionOutput, PingsFromAPeerThatDoesNotReadAreAnsweredByTheLatestPongOnly) {
  AsioLoop loop(0);
  Peer peer;
  auto conn = connect(loop, peer, {}, kSmallBuffer);
  Recorder rec;
  conn->start(&rec, {});
  constexpr int kPings = 100'000;
  std::string pings;
  char payload[16];
  for (int i = 0; i < kPings; ++i) {
    std::snprintf(payload, sizeof payload, "%08d", i);
    pings += client_frame(ws::Opcode::ping, payload);
  }
  pings += client_frame(ws::Opcode::text, "that was all");  // handled once every ping is
  // The peer writes all its pings (the loop reads them as they come) and
  // reads nothing; the server's socket buffer fills after a few KiB.
  std::size_t most_queued = 0;
  std::string_view rest = pings;
  ASSERT_TRUE(run_until(loop, [&] {
    most_queued = std::max(most_queued, conn->queued_bytes());
    const ssize_t n = ::send(peer.fd, rest.data(), std::min<std::size_t>(rest.size(), 16384), MSG_NOSIGNAL);
    if (n > 0) rest.remove_prefix(static_cast<std::size_t>(n));
    return !rec.messages.empty();
  }));
  EXPECT_TRUE(conn->open());
  EXPECT_LE(most_queued, 2u * (2 + 8)) << "pongs piled up";  // one being written, one waiting
  // Now the peer reads: the pongs that got out, the last one for the last ping.
  ASSERT_TRUE(run_until(loop, [&] {
    const bool got = peer.read_available() > 0;
    return conn->queued_bytes() == 0 && !got;
  }));
  const Frames f = Frames::parse(peer.in);
  ASSERT_FALSE(f.frames.empty());
  EXPECT_LT(f.frames.size(), static_cast<std::size_t>(kPings) / 10);
  int last = -1;
  for (const auto& fr : f.frames) {
    ASSERT_EQ(fr.op, ws::Opcode::pong);
    const int n = std::stoi(fr.payload);
    EXPECT_GT(n, last) << "pongs out of order";
    last = n;
  }
  EXPECT_EQ(f.frames.back().payload, "00099999");
}

TEST(WsConnectionOutput, ABacklogIsWrittenInSharesSoAnotherConnectionOnTheLoopIsServedMeanwhile) {
  AsioLoop loop(0);
  // A: 4 MiB queued (4 turns' share), written at full speed (its socket
  // buffer takes it all: only the share per turn can make it stop).
  Peer pa, pb;
  auto a = connect(loop, pa, {}, kLargeBuffer);
  Recorder ra;
  a->start(&ra, {});
  constexpr std::uint32_t kFrames = 4096;
  auto payload = [](std::uint32_t i) {
    std::string p = std::to_string(i);
    p.resize(1024, '.');
    return p;
  };
  for (std::uint32_t i = 0; i < kFrames; ++i) a->send(wire::SharedBytes::copy_of(payload(i)), true);
  // B: an echo connection whose peer has a message waiting.
  auto b = connect(loop, pb);
  Recorder rb;
  rb.on_message = [&](std::string_view m) { b->send_text(m); };
  b->start(&rb, {});
  pb.write(client_frame(ws::Opcode::text, "B's turn"));
  // Handlers run one at a time; B's echo must arrive while A still has
  // frames to write.
  std::size_t a_left_when_b_echoed = 0;
  ASSERT_TRUE(run_until(loop, [&] {
    if (pb.read_available() == 0) return false;
    a_left_when_b_echoed = a->queued_bytes();
    return true;
  }));
  EXPECT_GT(a_left_when_b_echoed, 0u) << "B waited for A's whole backlog";
  const Frames fb = Frames::parse(pb.in);
  ASSERT_EQ(fb.frames.size(), 1u);
  EXPECT_EQ(fb.frames[0].payload, "B's turn");
  // A's backlog then arrives whole and in order.
  ASSERT_TRUE(run_until(loop, [&] {
    pa.read_available();
    return a->queued_bytes() == 0;
  }));
  pa.read_available();
  const Frames fa = Frames::parse(pa.in);
  ASSERT_EQ(fa.frames.size(), kFrames);
  for (std::uint32_t i = 0; i < kFrames; ++i) ASSERT_EQ(fa.frames[i].payload, payload(i));
}

}  // namespace
}  // namespace sio::net::test
