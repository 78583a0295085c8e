// engine::Session without sockets or clocks: feed events, read actions.
#include <gtest/gtest.h>

#include "engine/session.hpp"

namespace sio::engine {
namespace {

namespace eio = wire::eio;
using namespace std::chrono_literals;

// Sessions keep a reference to their configuration: one for all the tests.
const SessionConfig& config() {
  static const SessionConfig c = [] {
    SessionConfig c;
    c.ping_interval = 300ms;
    c.ping_timeout = 200ms;
    c.upgrade_timeout = 1000ms;
    c.max_payload = 1000;
    return c;
  }();
  return c;
}

eio::Packet packet(std::string_view text) {
  eio::Packet p;
  EXPECT_TRUE(eio::decode_text(text, p));
  return p;
}

// The actions so far, then cleared.
std::vector<Action> take(Session& s) {
  std::vector<Action> out = std::move(s.actions());
  s.actions().clear();
  return out;
}

template <class T>
const T* find(const std::vector<Action>& acts, std::size_t nth = 0) {
  for (const auto& a : acts)
    if (const T* p = std::get_if<T>(&a)) {
      if (nth == 0) return p;
      --nth;
    }
  return nullptr;
}

std::string sent_text(const action::Send& s) { return std::string(s.msg.bytes.view()); }

TEST(Session, OpenSendsHandshakeAndArmsHeartbeat) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  auto acts = take(s);
  ASSERT_EQ(acts.size(), 2u);
  const auto* send = find<action::Send>(acts);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(sent_text(*send),
            R"(0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000})");
  const auto* arm = find<action::ArmTimer>(acts);
  ASSERT_NE(arm, nullptr);
  EXPECT_EQ(arm->timer, Timer::heartbeat);
  EXPECT_EQ(arm->after, 300ms);
  EXPECT_EQ(s.state(), State::open);
}

TEST(Session, WebSocketSessionOffersNoUpgrades) {
  Session s("abc", TransportKind::websocket, config());
  EXPECT_NE(s.handshake_json().find(R"("upgrades":[])"), std::string::npos);
}

TEST(Session, HeartbeatPingThenPongRearms) {
  Session s("abc", TransportKind::websocket, config());
  s.open();
  take(s);
  s.on_timer(Timer::heartbeat);
  auto acts = take(s);
  ASSERT_NE(find<action::Send>(acts), nullptr);
  EXPECT_EQ(sent_text(*find<action::Send>(acts)), "2");
  EXPECT_EQ(find<action::ArmTimer>(acts)->after, 200ms);  // waits pingTimeout for the pong

  s.on_packet(Slot::current, packet("3"));
  acts = take(s);
  ASSERT_NE(find<action::ArmTimer>(acts), nullptr);
  EXPECT_EQ(find<action::ArmTimer>(acts)->after, 300ms);  // next ping after pingInterval
  EXPECT_EQ(s.state(), State::open);
}

TEST(Session, NoPongClosesWithPingTimeout) {
  Session s("abc", TransportKind::websocket, config());
  s.open();
  s.on_timer(Timer::heartbeat);  // ping sent
  take(s);
  s.on_timer(Timer::heartbeat);  // pingTimeout elapsed
  auto acts = take(s);
  const auto* closed = find<action::Closed>(acts);
  ASSERT_NE(closed, nullptr);
  EXPECT_EQ(closed->reason, CloseReason::ping_timeout);
  EXPECT_NE(find<action::CloseTransport>(acts), nullptr);
  EXPECT_EQ(find<action::Send>(acts), nullptr);  // no close packet to a silent peer
  EXPECT_EQ(s.state(), State::closed);
}

TEST(Session, UnsolicitedPongDoesNotRearm) {
  Session s("abc", TransportKind::websocket, config());
  s.open();
  take(s);
  s.on_packet(Slot::current, packet("3"));
  EXPECT_TRUE(take(s).empty());
}

TEST(Session, MessagesAreDelivered) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  s.on_packet(Slot::current, packet("4hello"));
  s.on_packet(Slot::current, eio::binary_message("\x01\x02"));
  auto acts = take(s);
  ASSERT_EQ(acts.size(), 2u);
  EXPECT_EQ(std::get<action::Deliver>(acts[0]).data, "hello");
  EXPECT_FALSE(std::get<action::Deliver>(acts[0]).binary);
  EXPECT_TRUE(std::get<action::Deliver>(acts[1]).binary);
}

TEST(Session, ClosePacketFromClientIsTransportClose) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  s.on_packet(Slot::current, packet("1"));
  auto acts = take(s);
  ASSERT_NE(find<action::Closed>(acts), nullptr);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::transport_close);
}

TEST(Session, PingFromTheClientIsAnError) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  s.on_packet(Slot::current, packet("2"));
  auto acts = take(s);
  ASSERT_NE(find<action::Closed>(acts), nullptr);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::transport_error);
}

TEST(Session, ParseErrorCloses) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  s.on_parse_error(Slot::current);
  auto acts = take(s);
  ASSERT_NE(find<action::Closed>(acts), nullptr);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::parse_error);
}

TEST(Session, ForcedCloseSendsClosePacketOnce) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  s.close(CloseReason::forced_close);
  auto acts = take(s);
  ASSERT_NE(find<action::Send>(acts), nullptr);
  EXPECT_EQ(sent_text(*find<action::Send>(acts)), "1");
  EXPECT_EQ(find<action::Send>(acts)->purpose, action::Purpose::close);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::forced_close);
  s.close(CloseReason::forced_close);
  s.on_transport_closed(Slot::current, false);
  EXPECT_TRUE(take(s).empty());  // closed once, no more actions
}

// A server close over polling lingers (for the peer's next polls to take what
// is queued and the close packet) only when the peer has polled: a session
// that got its handshake and nothing more ends at once.
TEST(Session, ServerCloseLingersOnlyForAPeerThatPolled) {
  struct Case {
    TransportKind transport;
    int gets;  // polling GETs, the handshake's included
    CloseReason reason;
    bool linger;
  };
  const Case cases[] = {
      {TransportKind::polling, 0, CloseReason::forced_close, false},
      {TransportKind::polling, 1, CloseReason::forced_close, false},  // the handshake's GET only
      {TransportKind::polling, 1, CloseReason::server_shutdown, false},
      {TransportKind::polling, 2, CloseReason::forced_close, true},
      {TransportKind::polling, 5, CloseReason::server_shutdown, true},
      {TransportKind::polling, 5, CloseReason::transport_error, false},
      {TransportKind::websocket, 0, CloseReason::forced_close, false},
  };
  for (const Case& c : cases) {
    Session s("abc", c.transport, config());
    s.open();
    for (int i = 0; i < c.gets; ++i) s.on_poll();
    take(s);
    s.close(c.reason);
    auto acts = take(s);
    const auto* close = find<action::CloseTransport>(acts);
    ASSERT_NE(close, nullptr);
    EXPECT_EQ(close->slot, Slot::current);
    EXPECT_EQ(close->linger, c.linger) << "gets " << c.gets << ", " << to_string(c.reason);
    EXPECT_EQ(find<action::Closed>(acts)->reason, c.reason);
  }
}

TEST(Session, TransportErrorAndTransportClose) {
  for (bool error : {true, false}) {
    Session s("abc", TransportKind::websocket, config());
    s.open();
    take(s);
    s.on_transport_closed(Slot::current, error);
    auto acts = take(s);
    ASSERT_NE(find<action::Closed>(acts), nullptr);
    EXPECT_EQ(find<action::Closed>(acts)->reason, error ? CloseReason::transport_error : CloseReason::transport_close);
  }
}

TEST(Session, UpgradeProbeNoopThenSwitch) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  take(s);
  ASSERT_TRUE(s.begin_upgrade());
  auto acts = take(s);
  ASSERT_NE(find<action::ArmTimer>(acts), nullptr);
  EXPECT_EQ(find<action::ArmTimer>(acts)->timer, Timer::upgrade);

  s.on_packet(Slot::probe, packet("2probe"));
  acts = take(s);
  ASSERT_EQ(acts.size(), 2u);
  EXPECT_EQ(std::get<action::Send>(acts[0]).slot, Slot::probe);
  EXPECT_EQ(sent_text(std::get<action::Send>(acts[0])), "3probe");
  EXPECT_EQ(std::get<action::Send>(acts[1]).slot, Slot::current);
  EXPECT_EQ(sent_text(std::get<action::Send>(acts[1])), "6");  // releases the pending GET
  EXPECT_EQ(std::get<action::Send>(acts[1]).purpose, action::Purpose::release_poll);

  s.on_packet(Slot::probe, packet("5"));
  acts = take(s);
  EXPECT_NE(find<action::Upgrade>(acts), nullptr);
  EXPECT_NE(find<action::CancelTimer>(acts), nullptr);
  EXPECT_EQ(s.transport(), TransportKind::websocket);
  EXPECT_TRUE(s.upgraded());
  EXPECT_FALSE(s.begin_upgrade());  // a second upgrade is refused
}

TEST(Session, UpgradeWithoutProbeIsIgnoredAndOtherPacketsFailIt) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  ASSERT_TRUE(s.begin_upgrade());
  EXPECT_FALSE(s.begin_upgrade());  // one probe at a time
  take(s);
  s.on_packet(Slot::probe, packet("4hi"));  // not part of the upgrade dance
  auto acts = take(s);
  ASSERT_NE(find<action::CloseTransport>(acts), nullptr);
  EXPECT_EQ(find<action::CloseTransport>(acts)->slot, Slot::probe);
  EXPECT_EQ(s.transport(), TransportKind::polling);
  EXPECT_EQ(s.state(), State::open);  // the session itself goes on
}

TEST(Session, UpgradeTimeoutClosesOnlyTheProbe) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  ASSERT_TRUE(s.begin_upgrade());
  s.on_packet(Slot::probe, packet("2probe"));
  take(s);
  s.on_timer(Timer::upgrade);
  auto acts = take(s);
  ASSERT_NE(find<action::CloseTransport>(acts), nullptr);
  EXPECT_EQ(find<action::CloseTransport>(acts)->slot, Slot::probe);
  EXPECT_EQ(find<action::Closed>(acts), nullptr);
  EXPECT_TRUE(s.begin_upgrade());  // may try again
}

TEST(Session, ProbeClosedByPeerCancelsUpgrade) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  ASSERT_TRUE(s.begin_upgrade());
  take(s);
  s.on_transport_closed(Slot::probe, true);
  auto acts = take(s);
  EXPECT_NE(find<action::CancelTimer>(acts), nullptr);
  EXPECT_EQ(find<action::Closed>(acts), nullptr);
  EXPECT_FALSE(s.upgrading());
}

TEST(Session, UpgradesDisabledRefuseProbe) {
  auto c = config();
  c.allow_upgrades = false;
  Session s("abc", TransportKind::polling, c);
  s.open();
  EXPECT_FALSE(s.begin_upgrade());
  EXPECT_NE(s.handshake_json().find(R"("upgrades":[])"), std::string::npos);
}

TEST(Session, CloseDuringUpgradeClosesBothTransports) {
  Session s("abc", TransportKind::polling, config());
  s.open();
  ASSERT_TRUE(s.begin_upgrade());
  take(s);
  s.close(CloseReason::server_shutdown);
  auto acts = take(s);
  EXPECT_NE(find<action::CloseTransport>(acts, 0), nullptr);
  EXPECT_NE(find<action::CloseTransport>(acts, 1), nullptr);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::server_shutdown);
}

}  // namespace
}  // namespace sio::engine
