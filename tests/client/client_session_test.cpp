// The client Engine.IO state machine, driven by hand: no sockets, no clocks.
#include "engine/client_session.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sio::engine::client {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOpenPolling =
    R"(0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000})";
constexpr const char* kOpenNoUpgrade =
    R"(0{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000})";

template <class T>
std::vector<T> all(const Actions& a) {
  std::vector<T> r;
  for (const auto& x : a)
    if (auto* p = std::get_if<T>(&x)) r.push_back(*p);
  return r;
}
template <class T>
T one(const Actions& a) {
  auto r = all<T>(a);
  EXPECT_EQ(r.size(), 1u);
  return r.empty() ? T{} : r.front();
}
template <class T>
bool has(const Actions& a) {
  return !all<T>(a).empty();
}

std::vector<std::string> texts(const act::Write& w) {
  std::vector<std::string> r;
  for (const auto& p : w.packets) r.push_back(p.binary ? "<bin>" + p.data : p.data);
  return r;
}

wire::eio::Packet text(std::string_view s) {
  wire::eio::Packet p;
  EXPECT_TRUE(wire::eio::decode_text(s, p));
  return p;
}

// A session opened over polling; `poll` is the polling transport id.
struct PollingFixture : ::testing::Test {
  ClientSession s;
  Actions a;
  TransportId poll = 0;
  TimerId ping_timer = 0;

  void open(const char* handshake = kOpenNoUpgrade) {
    s.open(a);
    auto o = one<act::OpenTransport>(a);
    EXPECT_EQ(o.kind, TransportKind::polling);
    EXPECT_TRUE(o.sid.empty());
    poll = o.id;
    EXPECT_EQ(one<act::Poll>(a).id, poll);
    a.clear();
    s.on_poll_response(poll, handshake, a);
    ping_timer = one<act::StartTimer>(a).id;
  }
};

TEST_F(PollingFixture, HandshakeOpensAndPollsAgain) {
  open();
  const auto o = one<act::Opened>(a);
  EXPECT_EQ(o.handshake.sid, "abc");
  EXPECT_EQ(o.handshake.ping_interval, 300ms);
  EXPECT_EQ(one<act::StartTimer>(a).after, 500ms);  // pingInterval + pingTimeout
  EXPECT_EQ(one<act::Poll>(a).sid, "abc");
  EXPECT_FALSE(has<act::OpenTransport>(a));         // no upgrade offered
  EXPECT_EQ(s.state(), ClientSession::State::open);
  EXPECT_TRUE(s.writable());
}

TEST_F(PollingFixture, PingIsAnsweredAndRearmsTheTimeout) {
  open();
  a.clear();
  s.on_poll_response(poll, "2", a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"3"});
  EXPECT_EQ(one<act::CancelTimer>(a).id, ping_timer);
  EXPECT_NE(one<act::StartTimer>(a).id, ping_timer);
  EXPECT_TRUE(has<act::Poll>(a));
}

TEST_F(PollingFixture, NoPingInTimeClosesWithPingTimeout) {
  open();
  a.clear();
  s.on_timer(ping_timer, a);
  const auto c = one<act::Closed>(a);
  EXPECT_EQ(c.reason, CloseReason::ping_timeout);
  EXPECT_FALSE(one<act::CloseTransport>(a).graceful);
  EXPECT_EQ(s.state(), ClientSession::State::closed);
}

TEST_F(PollingFixture, AStaleTimerIsIgnored) {
  open();
  a.clear();
  s.on_poll_response(poll, "2", a);  // re-arms: the first id is stale now
  a.clear();
  s.on_timer(ping_timer, a);
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(s.state(), ClientSession::State::open);
}

TEST_F(PollingFixture, MessagesTextAndBinaryAreDelivered) {
  open();
  a.clear();
  s.on_poll_response(poll, "4hello\x1e" "bAQID", a);
  const auto m = all<act::Message>(a);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].data, "hello");
  EXPECT_FALSE(m[0].binary);
  EXPECT_EQ(m[1].data, std::string("\x01\x02\x03"));
  EXPECT_TRUE(m[1].binary);
}

TEST_F(PollingFixture, OnePostAtATimeAndQueuedMessagesFollowInOrder) {
  open();
  a.clear();
  s.send("a", false, a);
  const auto w1 = one<act::Write>(a);
  EXPECT_EQ(texts(w1), std::vector<std::string>{"4a"});
  a.clear();
  s.send("b", false, a);
  s.send("c", true, a);
  EXPECT_FALSE(has<act::Write>(a));
  EXPECT_FALSE(s.writable());
  s.on_write_done(w1.id, a);
  EXPECT_EQ(texts(one<act::Write>(a)), (std::vector<std::string>{"4b", "<bin>c"}));
}

TEST_F(PollingFixture, MaxPayloadSplitsPosts) {
  open(R"(0{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":10})");
  a.clear();
  s.send("x", false, a);  // goes at once
  const auto w1 = one<act::Write>(a);
  s.send("12345", false, a);  // "412345" = 6 bytes
  s.send("6789", false, a);   // + 1 separator + 5 = 12 > 10: next POST
  a.clear();
  s.on_write_done(w1.id, a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"412345"});
  a.clear();
  s.on_write_done(w1.id, a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"46789"});
}

TEST_F(PollingFixture, CloseFromTheServerOverPolling) {
  open();
  a.clear();
  s.on_poll_response(poll, "4last\x1e" "1", a);
  EXPECT_EQ(one<act::Message>(a).data, "last");
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::transport_close);
  EXPECT_FALSE(has<act::Poll>(a));
}

TEST_F(PollingFixture, TransportErrorCloses) {
  open();
  a.clear();
  s.on_transport_down(poll, true, "HTTP 400", a);
  const auto c = one<act::Closed>(a);
  EXPECT_EQ(c.reason, CloseReason::transport_error);
  EXPECT_EQ(c.description, "HTTP 400");
  a.clear();
  s.send("late", false, a);  // ignored once closed
  EXPECT_TRUE(a.empty());
}

TEST_F(PollingFixture, BadPayloadIsAParseError) {
  open();
  a.clear();
  s.on_poll_response(poll, "9nonsense", a);
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::parse_error);
}

TEST(ClientSession, BadHandshakeIsAParseError) {
  ClientSession s;
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  a.clear();
  s.on_poll_response(id, R"(0{"upgrades":[]})", a);
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::parse_error);
  EXPECT_FALSE(has<act::Opened>(a));
}

// The answer to the handshake GET without an open packet: no GET follows it,
// so waiting would hang the session (for ever with the connect timeout off).
TEST(ClientSession, AHandshakeAnswerWithoutAnOpenPacketIsAParseError) {
  ClientSession s;
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  a.clear();
  s.on_poll_response(id, "3probe\x1e" "6", a);
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::parse_error);
  EXPECT_FALSE(has<act::Poll>(a));
  EXPECT_EQ(s.state(), ClientSession::State::closed);
}

TEST_F(PollingFixture, CloseWaitsForThePendingPostThenTellsTheServer) {
  open();
  a.clear();
  s.send("a", false, a);
  const auto w = one<act::Write>(a);
  s.send("b", false, a);
  a.clear();
  s.close(a);
  EXPECT_FALSE(has<act::Closed>(a));
  s.on_write_done(w.id, a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"4b"});
  a.clear();
  s.on_write_done(w.id, a);
  const auto ct = one<act::CloseTransport>(a);
  EXPECT_TRUE(ct.graceful);
  EXPECT_EQ(ct.sid, "abc");
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::forced_close);
  a.clear();
  s.close(a);  // twice: nothing more
  EXPECT_TRUE(a.empty());
}

// ---- upgrade polling -> websocket ----

struct UpgradeFixture : PollingFixture {
  TransportId ws = 0;
  void SetUp() override {
    open(kOpenPolling);
    ws = one<act::OpenTransport>(a).id;
    EXPECT_EQ(one<act::OpenTransport>(a).kind, TransportKind::websocket);
    EXPECT_EQ(one<act::OpenTransport>(a).sid, "abc");
    a.clear();
    s.on_transport_open(ws, a);
    EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"2probe"});
    s.on_write_done(ws, a);
    a.clear();
  }
};

TEST_F(UpgradeFixture, ProbePausesPollingThenSwitches) {
  s.on_packet(ws, text("3probe"), a);
  EXPECT_TRUE(s.upgrading());
  EXPECT_FALSE(has<act::Upgraded>(a));  // the GET is still pending
  s.send("during", false, a);           // waits for the switch
  EXPECT_FALSE(has<act::Write>(a));
  a.clear();
  s.on_poll_response(poll, "6", a);  // the server's noop releases the GET
  EXPECT_FALSE(has<act::Poll>(a));
  const auto ct = one<act::CloseTransport>(a);
  EXPECT_EQ(ct.id, poll);
  EXPECT_FALSE(ct.graceful);
  EXPECT_EQ(one<act::Upgraded>(a).to, TransportKind::websocket);
  const auto w = one<act::Write>(a);
  EXPECT_EQ(w.id, ws);
  EXPECT_EQ(texts(w), (std::vector<std::string>{"5", "4during"}));
  EXPECT_EQ(s.transport(), TransportKind::websocket);
  a.clear();
  s.on_write_done(ws, a);
  s.on_packet(ws, text("4over ws"), a);
  EXPECT_EQ(one<act::Message>(a).data, "over ws");
}

TEST_F(UpgradeFixture, PauseAlsoWaitsForThePendingPost) {
  s.send("x", false, a);
  const auto post = one<act::Write>(a);
  ASSERT_EQ(post.id, poll);
  a.clear();
  s.on_packet(ws, text("3probe"), a);
  s.on_poll_response(poll, "6", a);
  EXPECT_FALSE(has<act::Upgraded>(a));
  s.on_write_done(poll, a);
  EXPECT_TRUE(has<act::Upgraded>(a));
}

TEST_F(UpgradeFixture, PingDuringThePauseIsAnsweredAfterTheSwitch) {
  s.on_packet(ws, text("3probe"), a);
  s.on_poll_response(poll, "2", a);  // a ping on the last GET
  // The pong is not POSTed: it waits, and follows the upgrade packet.
  const auto w = one<act::Write>(a);
  EXPECT_EQ(w.id, ws);
  EXPECT_EQ(texts(w), (std::vector<std::string>{"5", "3"}));
}

TEST_F(UpgradeFixture, ProbeFailureKeepsPolling) {
  s.on_transport_down(ws, true, "refused", a);
  EXPECT_TRUE(has<act::UpgradeFailed>(a));
  EXPECT_EQ(one<act::CloseTransport>(a).id, ws);
  EXPECT_EQ(s.transport(), TransportKind::polling);
  EXPECT_EQ(s.state(), ClientSession::State::open);
  a.clear();
  s.send("still", false, a);
  EXPECT_EQ(one<act::Write>(a).id, poll);
}

TEST_F(UpgradeFixture, WrongProbeAnswerFailsTheUpgrade) {
  s.on_packet(ws, text("3nope"), a);
  EXPECT_TRUE(has<act::UpgradeFailed>(a));
  EXPECT_FALSE(s.upgrading());
}

TEST_F(UpgradeFixture, ProbeFailingDuringThePauseResumesPolling) {
  s.on_packet(ws, text("3probe"), a);
  s.send("queued", false, a);
  a.clear();
  s.on_transport_down(ws, false, "gone", a);
  EXPECT_TRUE(has<act::UpgradeFailed>(a));
  // The pending GET is still out, so no new poll; the queue goes out by POST.
  EXPECT_FALSE(has<act::Poll>(a));
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"4queued"});
  a.clear();
  s.on_poll_response(poll, "6", a);
  EXPECT_TRUE(has<act::Poll>(a));
}

TEST_F(UpgradeFixture, ClosingDropsTheProbe) {
  s.close(a);
  const auto closes = all<act::CloseTransport>(a);
  ASSERT_EQ(closes.size(), 2u);
  EXPECT_EQ(closes[0].id, ws);
  EXPECT_EQ(closes[1].id, poll);
  EXPECT_TRUE(closes[1].graceful);
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::forced_close);
}

// ---- WebSocket only ----

TEST(ClientSession, WebSocketOnlyHandshake) {
  ClientSession s({{TransportKind::websocket}, true});
  Actions a;
  s.open(a);
  const auto o = one<act::OpenTransport>(a);
  EXPECT_EQ(o.kind, TransportKind::websocket);
  EXPECT_FALSE(has<act::Poll>(a));
  a.clear();
  s.on_transport_open(o.id, a);
  EXPECT_TRUE(a.empty());
  s.on_packet(o.id, text(kOpenPolling), a);
  EXPECT_TRUE(has<act::Opened>(a));
  EXPECT_FALSE(has<act::OpenTransport>(a));  // nothing to upgrade to
  a.clear();
  s.send("a", false, a);
  s.send("b", false, a);
  EXPECT_EQ(all<act::Write>(a).size(), 1u);
  a.clear();
  s.on_write_done(o.id, a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"4b"});
  a.clear();
  s.on_transport_down(o.id, false, "peer closed", a);
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::transport_close);
}

TEST(ClientSession, UpgradeCanBeTurnedOff) {
  ClientSession s({{TransportKind::polling, TransportKind::websocket}, false});
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  a.clear();
  s.on_poll_response(id, kOpenPolling, a);
  EXPECT_TRUE(has<act::Opened>(a));
  EXPECT_FALSE(has<act::OpenTransport>(a));
}

TEST(ClientSession, MessagesBeforeTheHandshakeWaitForIt) {
  ClientSession s;
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  s.send("early", false, a);
  EXPECT_FALSE(has<act::Write>(a));
  a.clear();
  s.on_poll_response(id, kOpenNoUpgrade, a);
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"4early"});
}

// close() before the handshake's answer: the answer still names the session,
// which is ended properly (what was queued, then the goodbye) instead of
// polling for another handshake (a new session on the server per round trip).
TEST(ClientSession, CloseDuringThePollingHandshakeEndsTheSessionItBrings) {
  ClientSession s;
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  s.send("early", false, a);
  a.clear();
  s.close(a);
  EXPECT_TRUE(a.empty());  // the handshake is on its way
  s.on_poll_response(id, std::string(kOpenPolling) + "\x1e" "4late", a);
  for (const auto& p : all<act::Poll>(a)) EXPECT_EQ(p.sid, "abc");  // no second handshake
  EXPECT_FALSE(has<act::Opened>(a));
  EXPECT_FALSE(has<act::Message>(a));  // nor a message of a session never opened
  EXPECT_FALSE(has<act::OpenTransport>(a));  // no upgrade probe
  EXPECT_EQ(texts(one<act::Write>(a)), std::vector<std::string>{"4early"});
  a.clear();
  s.on_write_done(id, a);
  const auto ct = one<act::CloseTransport>(a);
  EXPECT_TRUE(ct.graceful);
  EXPECT_EQ(ct.sid, "abc");
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::forced_close);
  EXPECT_EQ(s.state(), ClientSession::State::closed);
}

TEST(ClientSession, CloseWhileTheWebSocketConnectsEndsWithTheHandshake) {
  ClientSession s({{TransportKind::websocket}, true});
  Actions a;
  s.open(a);
  const auto id = one<act::OpenTransport>(a).id;
  a.clear();
  s.close(a);
  s.on_transport_open(id, a);
  EXPECT_TRUE(a.empty());
  s.on_packet(id, text(kOpenNoUpgrade), a);
  EXPECT_FALSE(has<act::Opened>(a));
  const auto ct = one<act::CloseTransport>(a);
  EXPECT_TRUE(ct.graceful);
  EXPECT_EQ(ct.sid, "abc");
  EXPECT_EQ(one<act::Closed>(a).reason, CloseReason::forced_close);
}

}  // namespace
}  // namespace sio::engine::client
