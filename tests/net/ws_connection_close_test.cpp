// WsConnection's ways into closing (our close, the peer's close, a protocol
// failure, the output cap) when the peer reads nothing: each ends within the
// close grace and releases the connection; and what a failure still sends
// (the 101 preamble, the rest of a frame already begun) before its close.
#include <gtest/gtest.h>

#include "net/ws_harness.hpp"

namespace sio::net::test {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kGrace{50};

WsConnection::Limits short_grace() {
  WsConnection::Limits l;
  l.close_grace = kGrace;
  return l;
}

// A connection whose output is blocked: a 1 MiB message partly written, the
// rest waiting for a peer that does not read.
struct Blocked {
  AsioLoop loop{0};
  Peer peer;
  Recorder rec;
  std::shared_ptr<WsConnection> conn;
  explicit Blocked(WsConnection::Limits limits = short_grace()) {
    conn = connect(loop, peer, limits, kSmallBuffer);
    conn->start(&rec, {});
    conn->send(wire::SharedBytes::copy_of(std::string(1u << 20, 'm')), true);
    EXPECT_TRUE(run_until(loop, [&] { return conn->queued_bytes() < (1u << 20); }));  // begun
  }
  // The owner lets go (as the servers do on on_ws_closed); the connection
  // must then end by itself, with its socket closed.
  void expect_reaped() {
    std::weak_ptr<WsConnection> weak = conn;
    conn.reset();
    EXPECT_TRUE(run_until(loop, [&] { return weak.expired(); })) << "still held after the close grace";
    peer.read_available();
    EXPECT_TRUE(peer.eof);
  }
};

TEST(WsConnectionClose, OurCloseWithBlockedOutputEndsAfterTheGrace) {
  Blocked b;
  b.conn->close(ws::close_code::going_away);
  b.expect_reaped();
  EXPECT_TRUE(b.rec.closed);
}

TEST(WsConnectionClose, ThePeersCloseWithBlockedOutputEndsAfterTheGrace) {
  Blocked b;
  b.peer.write(client_frame(ws::Opcode::close, ws::close_payload(ws::close_code::normal)));
  ASSERT_TRUE(run_until(b.loop, [&] { return b.rec.closed; }));
  EXPECT_EQ(b.rec.code, ws::close_code::normal);
  b.expect_reaped();
}

TEST(WsConnectionClose, AProtocolFailureWithBlockedOutputEndsAfterTheGrace) {
  Blocked b;
  b.peer.write("\x81\x02hi");  // unmasked: 1002
  ASSERT_TRUE(run_until(b.loop, [&] { return b.rec.closed; }));
  EXPECT_TRUE(b.rec.ec);
  b.expect_reaped();
}

TEST(WsConnectionClose, ASlowConsumerEndsAfterTheGrace) {
  auto limits = short_grace();
  limits.max_buffered = 1536u << 10;  // the 1 MiB message fits, a second one does not
  Blocked b(limits);
  b.conn->send(wire::SharedBytes::copy_of(std::string(1u << 20, 's')), true);
  EXPECT_FALSE(b.conn->open());
  EXPECT_EQ(b.rec.ec, make_error_code(errc::eio_slow_consumer));
  b.expect_reaped();
}

TEST(WsConnectionClose, AFailureFinishesTheFrameBegunThenSendsItsCloseOnly) {
  Blocked b(WsConnection::Limits{});  // the default grace: time enough to read it all
  b.conn->send(wire::SharedBytes::copy_of("not begun: dropped"), false);
  b.peer.write("\x81\x02hi");  // unmasked: 1002
  ASSERT_TRUE(run_until(b.loop, [&] { return b.rec.closed; }));
  // The peer reads now: a whole 1 MiB frame, then the close frame.
  ASSERT_TRUE(run_until(b.loop, [&] {
    b.peer.read_available();
    return b.peer.eof;
  }));
  const Frames f = Frames::parse(b.peer.in);
  ASSERT_EQ(f.frames.size(), 2u);
  EXPECT_EQ(f.frames[0].op, ws::Opcode::binary);
  EXPECT_EQ(f.frames[0].payload, std::string(1u << 20, 'm'));
  EXPECT_EQ(f.close_code, ws::close_code::protocol_error);
}

struct BadFirstFrame {
  const char* name;
  std::string frame;
  std::uint16_t code;
  friend void PrintTo(const BadFirstFrame& b, std::ostream* os) { *os << b.name; }
};

class WsConnectionBadFirstFrame : public ::testing::TestWithParam<BadFirstFrame> {};

TEST_P(WsConnectionBadFirstFrame, TheUpgradeResponseGoesFirstThenTheClose) {
  // The frame came in the same segment as the upgrade request: it is the
  // leftover that start() parses before anything was written.
  AsioLoop loop(0);
  Peer peer;
  WsConnection::Limits limits;
  limits.max_message = 1024;
  auto conn = connect(loop, peer, limits);
  Recorder rec;
  const std::string preamble = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  conn->start(&rec, GetParam().frame, wire::SharedBytes::copy_of(preamble));
  EXPECT_TRUE(rec.closed);
  ASSERT_TRUE(run_until(loop, [&] {
    peer.read_available();
    return peer.eof;
  }));
  ASSERT_EQ(peer.in.substr(0, preamble.size()), preamble);
  const Frames f = Frames::parse(peer.in.substr(preamble.size()));
  ASSERT_EQ(f.frames.size(), 1u);
  EXPECT_EQ(f.close_code, GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    AllKinds, WsConnectionBadFirstFrame,
    ::testing::Values(BadFirstFrame{"unmasked", "\x81\x02hi", ws::close_code::protocol_error},
                      BadFirstFrame{"reserved_opcode", client_frame(ws::Opcode(0x3), "x"), ws::close_code::protocol_error},
                      BadFirstFrame{"invalid_utf8", client_frame(ws::Opcode::text, "ok\xed\xa0\x80"),
                                    ws::close_code::invalid_payload},
                      BadFirstFrame{"too_big", client_frame(ws::Opcode::binary, std::string(1025, 'b')),
                                    ws::close_code::too_big}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sio::net::test
