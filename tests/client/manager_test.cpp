// Reconnection, connect timeout and routing of the manager, with a fake
// engine and a hand-driven clock: delays are observed as armed timers.
#include "client/manager.hpp"

#include <gtest/gtest.h>

#include "fakes.hpp"
#include "recorder.hpp"

namespace sio::client::test {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

struct ManagerTest : ::testing::Test {
  FakeLoop loop;
  FakeConnector net;
  ManagerLog mlog;
  SocketLog slog;
  std::unique_ptr<Manager> m;
  NamespaceSocket* sock = nullptr;

  // randomness 0.5: no jitter, so delays are exactly 1 s, 2 s, 4 s, 5 s...
  void make(ManagerOptions o = {}) {
    m = std::make_unique<Manager>(loop, net, o, [] { return 0.5; });
    m->set_observer(&mlog);
    sock = &m->socket("/", {});
    sock->set_observer(&slog);
  }
  void SetUp() override { make(); }
  void connect_and_join() {
    sock->connect();
    net.last().open();
    net.last().message(R"(0{"sid":"s1"})");
  }
  std::vector<std::chrono::milliseconds> delays_since(std::size_t first) const {
    return {loop.started.begin() + static_cast<std::ptrdiff_t>(first), loop.started.end()};
  }
};

TEST_F(ManagerTest, ConnectSendsConnectOnOpenAndJoins) {
  sock->connect();
  ASSERT_EQ(net.links.size(), 1u);
  EXPECT_TRUE(net.last().sent.empty());  // nothing before the engine opens
  net.last().open();
  EXPECT_EQ(net.last().texts(), Strings{"0"});
  net.last().message(R"(0{"sid":"s1"})");
  EXPECT_TRUE(sock->connected());
  EXPECT_EQ(sock->id(), "s1");
  EXPECT_EQ(mlog.events, Strings{"open"});
  EXPECT_EQ(slog.events, Strings{"connect"});
}

TEST_F(ManagerTest, ReconnectsWithGrowingDelaysAndRejoins) {
  connect_and_join();
  const auto armed = loop.started.size();
  net.last().drop();
  EXPECT_EQ(slog.events, (Strings{"connect", "disconnect transport close"}));
  EXPECT_EQ(mlog.events, (Strings{"open", "close transport close"}));
  EXPECT_EQ(m->state(), Manager::State::closed);
  EXPECT_TRUE(m->reconnecting());

  loop.advance(1000ms);  // attempt 1
  ASSERT_EQ(net.links.size(), 2u);
  net.last().fail("refused");
  loop.advance(2000ms);  // attempt 2
  net.last().fail("refused");
  loop.advance(4000ms);  // attempt 3
  net.last().fail("refused");
  loop.advance(5000ms);  // attempt 4: capped
  ASSERT_EQ(net.links.size(), 5u);
  net.last().open();
  EXPECT_EQ(net.last().texts(), Strings{"0"});  // rejoins the namespace
  net.last().message(R"(0{"sid":"s2"})");
  EXPECT_EQ(sock->id(), "s2");

  // The reconnection timers, in order (connect timeouts are 20 s each).
  std::vector<std::chrono::milliseconds> reconnect_delays;
  for (auto d : delays_since(armed))
    if (d != 20000ms) reconnect_delays.push_back(d);
  EXPECT_EQ(reconnect_delays, (std::vector<std::chrono::milliseconds>{1000ms, 2000ms, 4000ms, 5000ms}));
  EXPECT_EQ(mlog.events, (Strings{"open", "close transport close",
                                  "reconnect_attempt 1", "error refused", "reconnect_error refused",
                                  "reconnect_attempt 2", "error refused", "reconnect_error refused",
                                  "reconnect_attempt 3", "error refused", "reconnect_error refused",
                                  "reconnect_attempt 4", "open", "reconnect 4"}));
  EXPECT_EQ(slog.events.back(), "connect");
  EXPECT_FALSE(m->reconnecting());
}

TEST_F(ManagerTest, BackoffStartsOverAfterASuccessfulReconnection) {
  connect_and_join();
  net.last().drop();
  loop.advance(1000ms);
  net.last().open();
  const auto armed = loop.started.size();
  net.last().drop();
  EXPECT_EQ(loop.started.size(), armed + 1);
  EXPECT_EQ(loop.started.back(), 1000ms);
}

TEST_F(ManagerTest, JitterComesFromTheInjectedRandomSource) {
  double r = 0.0;
  m = std::make_unique<Manager>(loop, net, ManagerOptions{}, [&] { return r; });
  sock = &m->socket("/", {});
  sock->connect();
  net.last().open();
  net.last().drop();
  EXPECT_EQ(loop.started.back(), 500ms);  // 1000 * (1 - 0.5)
  r = 1.0;
  loop.advance(500ms);
  net.last().fail("x");
  EXPECT_EQ(loop.started.back(), 3000ms);  // 2000 * (1 + 0.5)
}

TEST_F(ManagerTest, GivesUpAfterTheConfiguredAttempts) {
  ManagerOptions o;
  o.reconnection_attempts = 2;
  make(o);
  connect_and_join();
  net.last().drop();
  loop.advance(1000ms);
  net.last().fail("down");
  loop.advance(2000ms);
  net.last().fail("down");
  EXPECT_EQ(mlog.events.back(), "reconnect_failed");
  EXPECT_FALSE(m->reconnecting());
  const auto links = net.links.size();
  loop.advance(60000ms);
  EXPECT_EQ(net.links.size(), links);
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST_F(ManagerTest, FirstOpenFailureStartsReconnecting) {
  sock->connect();
  net.last().fail("ECONNREFUSED");
  EXPECT_EQ(slog.events, Strings{"connect_error ECONNREFUSED null"});
  EXPECT_TRUE(m->reconnecting());
  loop.advance(1000ms);
  EXPECT_EQ(net.links.size(), 2u);
}

TEST_F(ManagerTest, ReconnectionCanBeTurnedOff) {
  ManagerOptions o;
  o.reconnection = false;
  make(o);
  connect_and_join();
  net.last().drop();
  EXPECT_FALSE(m->reconnecting());
  loop.advance(60000ms);
  EXPECT_EQ(net.links.size(), 1u);
}

TEST_F(ManagerTest, ConnectTimeout) {
  ManagerOptions o;
  o.timeout = 3000ms;
  make(o);
  sock->connect();
  loop.advance(3000ms);
  EXPECT_TRUE(net.links[0]->closed);
  EXPECT_EQ(mlog.events, Strings{"error timeout"});
  EXPECT_EQ(slog.events, Strings{"connect_error timeout null"});
  EXPECT_TRUE(m->reconnecting());
}

TEST_F(ManagerTest, CloseStopsReconnectingAndIsIdempotent) {
  connect_and_join();
  net.last().drop();
  ASSERT_TRUE(m->reconnecting());
  m->close();
  m->close();
  EXPECT_FALSE(m->reconnecting());
  loop.advance(60000ms);
  EXPECT_EQ(net.links.size(), 1u);
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST_F(ManagerTest, DestroyingWhileReconnectingIsSafe) {
  connect_and_join();
  net.last().drop();
  loop.advance(1000ms);  // an attempt in flight
  m.reset();
  EXPECT_TRUE(net.last().closed);
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST_F(ManagerTest, ClosingFromAHandlerIsSafe) {
  struct CloseOnConnect : SocketObserver {
    Manager* m;
    int connects = 0;
    void on_connect() override {
      ++connects;
      m->close();
    }
    void on_connect_error(const std::string&, const boost::json::value&) override {}
    void on_disconnect(const std::string&, const std::string&) override {}
    void on_event(const std::string&, Args, std::optional<std::uint64_t>) override {}
  } obs;
  obs.m = m.get();
  sock->set_observer(&obs);
  connect_and_join();
  EXPECT_EQ(obs.connects, 1);
  EXPECT_TRUE(net.last().closed);
  EXPECT_FALSE(m->reconnecting());
}

TEST_F(ManagerTest, SeveralNamespacesShareOneConnection) {
  auto& chat = m->socket("/chat", {});
  SocketLog chat_log;
  chat.set_observer(&chat_log);
  sock->connect();
  chat.connect();
  EXPECT_EQ(net.links.size(), 1u);
  net.last().open();
  EXPECT_EQ(net.last().texts(), (Strings{"0", "0/chat,"}));
  net.last().message(R"(0/chat,{"sid":"c1"})");
  EXPECT_TRUE(chat.connected());
  EXPECT_FALSE(sock->connected());
  net.last().message(R"(2/chat,["news",1])");
  EXPECT_EQ(chat_log.events, (Strings{"connect", "event news"}));
  EXPECT_TRUE(slog.events.empty());
}

TEST_F(ManagerTest, ParseErrorClosesAndReconnects) {
  connect_and_join();
  net.last().message("9garbage");
  EXPECT_EQ(mlog.events.back(), "close parse error");
  EXPECT_TRUE(net.links[0]->closed);
  EXPECT_TRUE(m->reconnecting());
}

TEST_F(ManagerTest, TheLastSocketLeavingClosesTheConnection) {
  connect_and_join();
  sock->disconnect();
  EXPECT_EQ(net.last().texts().back(), "1");
  EXPECT_TRUE(net.last().closed);
  EXPECT_EQ(slog.events.back(), "disconnect io client disconnect");
  EXPECT_FALSE(m->reconnecting());
}

}  // namespace
}  // namespace sio::client::test
