// engine::Session speaking protocol 3 (socket.io-client 2.x): the client pings,
// the server answers with pongs and closes after pingInterval + pingTimeout of
// silence. No sockets, no clocks: timers fire when the test says so.
#include <gtest/gtest.h>

#include "engine/session.hpp"

namespace sio::engine {
namespace {

namespace eio = wire::eio;
using namespace std::chrono_literals;

const SessionConfig& config() {
  static const SessionConfig c = [] {
    SessionConfig c;
    c.ping_interval = 300ms;
    c.ping_timeout = 200ms;
    return c;
  }();
  return c;
}

eio::Packet packet(std::string_view text) {
  eio::Packet p;
  EXPECT_TRUE(eio::decode_text(text, p));
  return p;
}

std::vector<Action> take(Session& s) {
  std::vector<Action> out = std::move(s.actions());
  s.actions().clear();
  return out;
}

template <class T>
const T* find(const std::vector<Action>& acts) {
  for (const auto& a : acts)
    if (const T* p = std::get_if<T>(&a)) return p;
  return nullptr;
}

Session opened(TransportKind kind = TransportKind::polling) {
  Session s("abc", kind, config(), 3);
  s.open();
  return s;
}

TEST(SessionV3, OpenWaitsForTheClientsPingForIntervalPlusTimeout) {
  Session s = opened();
  EXPECT_EQ(s.protocol(), 3);
  auto acts = take(s);
  const auto* arm = find<action::ArmTimer>(acts);
  ASSERT_NE(arm, nullptr);
  EXPECT_EQ(arm->timer, Timer::heartbeat);
  EXPECT_EQ(arm->after, 500ms);
}

TEST(SessionV3, APingIsAnsweredWithAPongAndRestartsTheWait) {
  Session s = opened();
  take(s);
  s.on_packet(Slot::current, packet("2"));
  auto acts = take(s);
  const auto* send = find<action::Send>(acts);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->msg.bytes.view(), "3");
  ASSERT_NE(find<action::ArmTimer>(acts), nullptr);
  EXPECT_EQ(find<action::ArmTimer>(acts)->after, 500ms);
  EXPECT_EQ(s.state(), State::open);
}

TEST(SessionV3, NoPingInTimeClosesWithPingTimeoutAndSendsNoPing) {
  Session s = opened();
  take(s);
  s.on_timer(Timer::heartbeat);
  auto acts = take(s);
  EXPECT_EQ(find<action::Send>(acts), nullptr);  // the server never pings a protocol 3 client
  ASSERT_NE(find<action::Closed>(acts), nullptr);
  EXPECT_EQ(find<action::Closed>(acts)->reason, CloseReason::ping_timeout);
}

TEST(SessionV3, APongFromTheClientIsTheWrongDirection) {
  Session s = opened(TransportKind::websocket);
  take(s);
  s.on_packet(Slot::current, packet("3"));
  EXPECT_EQ(s.state(), State::closed);
  EXPECT_EQ(s.close_reason(), CloseReason::transport_error);
}

TEST(SessionV3, ProtocolFourKeepsServerPings) {
  Session s("abc", TransportKind::websocket, config());
  EXPECT_EQ(s.protocol(), 4);
  s.open();
  take(s);
  s.on_packet(Slot::current, packet("2"));
  EXPECT_EQ(s.state(), State::closed);  // a client ping: invalid heartbeat direction
}

TEST(SessionV3, UpgradeProbeIsTheSameAsProtocolFour) {
  Session s = opened();
  take(s);
  ASSERT_TRUE(s.begin_upgrade());
  s.on_packet(Slot::probe, packet("2probe"));
  auto acts = take(s);
  const auto* send = find<action::Send>(acts);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(send->msg.bytes.view(), "3probe");
  s.on_packet(Slot::probe, packet("5"));
  EXPECT_TRUE(s.upgraded());
  s.on_packet(Slot::current, packet("2"));  // pings now come over the WebSocket
  EXPECT_EQ(find<action::Send>(take(s))->msg.bytes.view(), "3");
}

}  // namespace
}  // namespace sio::engine
