// Connection state recovery in the namespace socket, over a fake engine: the
// pid and last offset go back in the CONNECT auth, recovered() follows the
// server's answer, and events replayed before a CONNECT that never came are
// not handed over twice.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "client/manager.hpp"
#include "client/namespace_socket.hpp"
#include "fakes.hpp"
#include "recorder.hpp"

namespace sio::client::test {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

struct RecoveryTest : ::testing::Test {
  FakeLoop loop;
  FakeConnector net;
  Manager m{loop, net, ManagerOptions{}, [] { return 0.5; }};
  SocketLog log;
  NamespaceSocket* s = nullptr;

  void use(NamespaceOptions o = {}) {
    s = &m.socket("/", o);
    s->set_observer(&log);
  }
  // The connection drops, and the next one opens: returns the CONNECT it sent.
  std::string reopen() {
    net.last().drop();
    loop.advance(10000ms);  // past any reconnection delay
    net.last().open();
    return net.last().texts().back();
  }
  std::vector<std::string> tags() const {
    std::vector<std::string> out;
    for (const auto& [name, args] : log.received) out.push_back(std::string(args.at(0).json().as_string()));
    return out;
  }
};

TEST_F(RecoveryTest, PidAndLastOffsetGoBackInTheConnect) {
  use();
  s->connect();
  net.last().open();
  EXPECT_EQ(net.last().texts().back(), "0");  // nothing to recover yet
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  EXPECT_FALSE(s->recovered());
  net.last().message(R"(2["news","a","o1"])");
  net.last().message(R"(2["news","b","o2"])");
  // the offset is the last argument and stays there, as socket.io-client leaves it
  ASSERT_EQ(log.received.size(), 2u);
  EXPECT_EQ(log.received[1].second.size(), 2u);
  EXPECT_EQ(boost::json::parse(reopen().substr(1)), boost::json::parse(R"({"pid":"p1","offset":"o2"})"));
  net.last().message(R"(2["news","c","o3"])");  // replayed before the CONNECT
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  EXPECT_TRUE(s->recovered());
  EXPECT_EQ(tags(), (Strings{"a", "b", "c"}));
  EXPECT_EQ(log.events.back(), "connect");
  EXPECT_EQ(log.events[log.events.size() - 2], "event news");  // the replay before "connect"
  EXPECT_EQ(s->last_offset(), "o3");
}

TEST_F(RecoveryTest, UserAuthKeysWin) {
  NamespaceOptions o;
  o.auth = boost::json::object{{"token", "t"}, {"offset", "mine"}};
  use(o);
  s->connect();
  net.last().open();
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  net.last().message(R"(2["news","o1"])");
  EXPECT_EQ(boost::json::parse(reopen().substr(1)),
            boost::json::parse(R"({"pid":"p1","offset":"mine","token":"t"})"));
}

TEST_F(RecoveryTest, ANewSessionIsNotRecovered) {
  use();
  s->connect();
  net.last().open();
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  net.last().message(R"(2["news","o1"])");
  reopen();
  net.last().message(R"(0{"sid":"s2","pid":"p2"})");  // the server could not restore it
  EXPECT_FALSE(s->recovered());
  EXPECT_EQ(s->pid(), "p2");
  EXPECT_FALSE(s->last_offset());  // p1's offset means nothing to p2
  EXPECT_EQ(boost::json::parse(reopen().substr(1)), boost::json::parse(R"({"pid":"p2"})"));
}

TEST_F(RecoveryTest, WithoutAPidNoOffsetIsKept) {
  use();
  s->connect();
  net.last().open();
  net.last().message(R"(0{"sid":"s1"})");
  net.last().message(R"(2["news","o1"])");
  EXPECT_FALSE(s->last_offset());
  EXPECT_EQ(reopen(), "0");
}

// A replay cut short (the connection drops before the CONNECT answer) is
// replayed whole by the server on the next attempt: what came the first time
// is not handed over, so each event is heard once.
TEST_F(RecoveryTest, AReplayCutShortIsNotDoubled) {
  use();
  s->connect();
  net.last().open();
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  net.last().message(R"(2["news","a","o1"])");
  reopen();
  net.last().message(R"(2["news","b","o2"])");  // the replay starts, then the link drops
  EXPECT_EQ(boost::json::parse(reopen().substr(1)), boost::json::parse(R"({"pid":"p1","offset":"o1"})"));
  net.last().message(R"(2["news","b","o2"])");
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  EXPECT_EQ(tags(), (Strings{"a", "b"}));
  EXPECT_TRUE(s->recovered());
}

// Emits made offline go out after the replay, once: recovery does not touch
// the offline buffer.
TEST_F(RecoveryTest, OfflineEmitsGoOutOnceAfterTheReplay) {
  use();
  s->connect();
  net.last().open();
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  net.last().message(R"(2["news","a","o1"])");
  net.last().drop();
  s->emit(event(*s, "x", {}));
  loop.advance(10000ms);
  net.last().open();
  net.last().message(R"(2["news","b","o2"])");
  net.last().message(R"(0{"sid":"s1","pid":"p1"})");
  EXPECT_EQ(net.last().texts(), (Strings{R"(0{"pid":"p1","offset":"o1"})", R"(2["x"])"}));
  EXPECT_EQ(tags(), (Strings{"a", "b"}));
}

}  // namespace
}  // namespace sio::client::test
