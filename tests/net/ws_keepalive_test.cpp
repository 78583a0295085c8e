// WsKeepAlive without sockets or clocks: the test plays the timer, calling
// tick() after each delay it asks for, and says what the connection saw.
#include <gtest/gtest.h>

#include "net/ws_keepalive.hpp"

namespace sio::net {
namespace {

using namespace std::chrono_literals;
using V = WsKeepAlive::Verdict;

// Drives a watchdog, keeping the time its delays add up to.
struct Driver {
  explicit Driver(const WsKeepAlive::Config& c) : k(c) { next = k.start(); }
  WsKeepAlive::Step tick(bool active, bool receiving = false, std::uint64_t messages = 0) {
    now += next;
    auto s = k.tick(active, receiving, messages);
    next = s.next;
    return s;
  }
  WsKeepAlive k;
  std::chrono::milliseconds next{0}, now{0};
};

TEST(WsKeepAlive, NothingToWatchWhenAllIsOff) {
  const WsKeepAlive::Config off{};
  WsKeepAlive k(off);
  EXPECT_EQ(k.start(), 0ms);
}

TEST(WsKeepAlive, ASilentPeerIsPingedThenClosed) {
  const WsKeepAlive::Config c{.ping_interval = 100ms, .ping_timeout = 50ms};
  Driver d(c);
  EXPECT_EQ(d.next, 100ms);
  EXPECT_EQ(d.tick(false).verdict, V::ping);
  EXPECT_EQ(d.now, 100ms);
  EXPECT_EQ(d.next, 50ms);
  EXPECT_EQ(d.tick(false).verdict, V::silent);
  EXPECT_EQ(d.now, 150ms);
}

TEST(WsKeepAlive, APongKeepsItAndABusyPeerIsNeverPinged) {
  const WsKeepAlive::Config c{.ping_interval = 100ms, .ping_timeout = 50ms};
  Driver d(c);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(d.tick(true).verdict, V::none);  // data keeps coming
  EXPECT_EQ(d.tick(false).verdict, V::ping);
  EXPECT_EQ(d.tick(true).verdict, V::none);  // the pong
  EXPECT_EQ(d.next, 100ms);
  EXPECT_EQ(d.tick(false).verdict, V::ping);  // silent again: pinged again
  EXPECT_EQ(d.tick(true).verdict, V::none);
}

TEST(WsKeepAlive, AMessageThatDoesNotEndIsClosedWhateverElseArrives) {
  const WsKeepAlive::Config c{.ping_interval = 1000ms, .ping_timeout = 1000ms, .message_timeout = 200ms};
  Driver d(c);
  EXPECT_EQ(d.next, 50ms);  // sampled every quarter of message_timeout
  EXPECT_EQ(d.tick(true, true, 0).verdict, V::none);  // seen under way at 50 ms
  const auto seen = d.now;
  WsKeepAlive::Step s;
  do s = d.tick(true, true, 0);  // bytes (of it, or pongs) keep coming; it never ends
  while (s.verdict == V::none && d.now < 10s);
  EXPECT_EQ(s.verdict, V::slow_message);
  EXPECT_EQ(d.now - seen, 200ms);
}

TEST(WsKeepAlive, MessagesThatEndInTimeAreFine) {
  const WsKeepAlive::Config c{.message_timeout = 200ms};
  Driver d(c);
  std::uint64_t messages = 0;
  // A message under way at every tick, but a new one each time.
  for (int i = 0; i < 40; ++i) EXPECT_EQ(d.tick(true, true, ++messages).verdict, V::none);
  // One that takes 150 ms of the 200.
  EXPECT_EQ(d.tick(true, true, messages).verdict, V::none);
  EXPECT_EQ(d.tick(true, true, messages).verdict, V::none);
  EXPECT_EQ(d.tick(true, true, messages).verdict, V::none);
  EXPECT_EQ(d.tick(true, false, ++messages).verdict, V::none);
  EXPECT_EQ(d.next, 50ms);
}

TEST(WsKeepAlive, PingsOffMeansSilenceIsFine) {
  const WsKeepAlive::Config c{.ping_interval = 0ms, .message_timeout = 100ms};
  Driver d(c);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.tick(false).verdict, V::none);
}

}  // namespace
}  // namespace sio::net
