// A namespace socket over a fake engine: events, acks both ways, binary,
// offline buffering, volatile emits, connect errors.
#include "client/namespace_socket.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "client/manager.hpp"
#include "fakes.hpp"
#include "recorder.hpp"

namespace sio::client::test {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

struct SocketTest : ::testing::Test {
  FakeLoop loop;
  FakeConnector net;
  Manager m{loop, net, ManagerOptions{}, [] { return 0.5; }};
  SocketLog log;
  NamespaceSocket* s = nullptr;

  void SetUp() override { use("/", {}); }
  void use(const std::string& nsp, NamespaceOptions o) {
    s = &m.socket(nsp, o);
    s->set_observer(&log);
  }
  void join(const std::string& connect_answer = R"(0{"sid":"s1"})") {
    s->connect();
    net.last().open();
    net.last().message(connect_answer);
  }
  std::string last_sent() const { return net.links.back()->texts().back(); }
};

TEST_F(SocketTest, AuthGoesWithTheConnect) {
  NamespaceOptions o;
  o.auth = boost::json::object{{"token", "abc"}};
  use("/chat", o);
  s->connect();
  net.last().open();
  EXPECT_EQ(last_sent(), R"(0/chat,{"token":"abc"})");
}

TEST_F(SocketTest, EmitWhileConnected) {
  join();
  EXPECT_FALSE(s->emit(event(*s, "hello", {"world", 42})));
  EXPECT_EQ(last_sent(), R"(2["hello","world",42])");
}

TEST_F(SocketTest, EmitWithAckGetsTheAnswer) {
  join();
  std::error_code got_ec = make_error_code(errc::closed);
  Args got;
  s->emit(event(*s, "q", {1}, [&](std::error_code ec, Args a) {
    got_ec = ec;
    got = std::move(a);
  }));
  EXPECT_EQ(last_sent(), R"(20["q",1])");
  net.last().message(R"(30["ok",{"n":2}])");
  EXPECT_FALSE(got_ec);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].json(), "ok");
  EXPECT_EQ(got[1].json(), boost::json::parse(R"({"n":2})"));
}

TEST_F(SocketTest, AckTimesOut) {
  join();
  std::error_code got;
  int calls = 0;
  EmitOptions o;
  o.timeout = 500ms;
  s->emit(event(*s, "q", {}, [&](std::error_code ec, Args) { got = ec, ++calls; }, o));
  loop.advance(499ms);
  EXPECT_EQ(calls, 0);
  loop.advance(1ms);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(got, errc::sio_ack_timeout);
  net.last().message(R"(30["late"])");  // a late answer is ignored
  EXPECT_EQ(calls, 1);
}

TEST_F(SocketTest, DefaultAckTimeoutFromTheOptions) {
  NamespaceOptions no;
  no.ack_timeout = 100ms;
  use("/x", no);
  join(R"(0/x,{"sid":"a"})");
  std::error_code got;
  s->emit(event(*s, "q", {}, [&](std::error_code ec, Args) { got = ec; }));
  loop.advance(100ms);
  EXPECT_EQ(got, errc::sio_ack_timeout);
}

TEST_F(SocketTest, ServerEventsWithAndWithoutAck) {
  join();
  net.last().message(R"(2["news",{"a":1}])");
  net.last().message(R"(27["question","why"])");
  ASSERT_EQ(log.received.size(), 2u);
  EXPECT_EQ(log.received[0].first, "news");
  EXPECT_EQ(log.received[1].second[0].json(), "why");
  ASSERT_EQ(log.last_ack_id, 7u);
  s->send_ack(7, {"because"});
  EXPECT_EQ(last_sent(), R"(37["because"])");
}

TEST_F(SocketTest, BinaryBothWays) {
  join();
  s->emit(event(*s, "file", {Binary{1, 2, 3}, "name"}));
  const auto& sent = net.last().sent;
  ASSERT_GE(sent.size(), 2u);
  EXPECT_EQ(sent[sent.size() - 2].first, R"(51-["file",{"_placeholder":true,"num":0},"name"])");
  EXPECT_EQ(sent.back(), (std::pair<std::string, bool>{std::string("\x01\x02\x03"), true}));

  net.last().message(R"(51-["blob",{"_placeholder":true,"num":0}])");
  EXPECT_TRUE(log.received.empty());  // waits for its attachment
  net.last().message(std::string("\xff\x00", 2), true);
  ASSERT_EQ(log.received.size(), 1u);
  ASSERT_TRUE(log.received[0].second[0].is_binary());
  EXPECT_EQ(log.received[0].second[0].as_binary().view(), std::string("\xff\x00", 2));
}

TEST_F(SocketTest, OfflineEmitsAreBufferedAndSentInOrderOnConnect) {
  s->connect();
  s->emit(event(*s, "a", {1}));
  s->emit(event(*s, "b", {2}));
  EXPECT_EQ(s->buffered(), 2u);
  net.last().open();
  EXPECT_EQ(net.last().texts(), Strings{"0"});  // not before the namespace is joined
  net.last().message(R"(0{"sid":"s1"})");
  EXPECT_EQ(net.last().texts(), (Strings{"0", R"(2["a",1])", R"(2["b",2])"}));
  EXPECT_EQ(s->buffered(), 0u);
  EXPECT_EQ(log.events, Strings{"connect"});
}

TEST_F(SocketTest, BufferedEmitsSurviveAReconnection) {
  join();
  net.last().drop();
  s->emit(event(*s, "x", {1}));
  s->emit(event(*s, "y", {2}));
  loop.advance(1000ms);
  net.last().open();
  net.last().message(R"(0{"sid":"s2"})");
  EXPECT_EQ(net.last().texts(), (Strings{"0", R"(2["x",1])", R"(2["y",2])"}));
}

TEST_F(SocketTest, TheOfflineBufferHasACap) {
  NamespaceOptions o;
  o.max_buffered = 2;
  use("/capped", o);
  s->connect();
  EXPECT_FALSE(s->emit(event(*s, "a", {})));
  EXPECT_FALSE(s->emit(event(*s, "b", {})));
  EXPECT_EQ(s->emit(event(*s, "c", {})), errc::sio_buffer_full);
  EXPECT_EQ(s->buffered(), 2u);
}

TEST_F(SocketTest, VolatileEmitsAreDroppedUnlessWritable) {
  EmitOptions v;
  v.is_volatile = true;
  s->connect();
  s->emit(event(*s, "offline", {}, {}, v));
  EXPECT_EQ(s->buffered(), 0u);  // not buffered
  net.last().open();
  net.last().message(R"(0{"sid":"s1"})");
  net.last().is_writable = false;
  s->emit(event(*s, "busy", {}, {}, v));
  net.last().is_writable = true;
  s->emit(event(*s, "ok", {}, {}, v));
  EXPECT_EQ(net.last().texts(), (Strings{"0", R"(2["ok"])"}));
}

TEST_F(SocketTest, PendingAcksFailWhenTheConnectionDrops) {
  join();
  std::error_code sent_ec, buffered_ec;
  s->emit(event(*s, "sent", {}, [&](std::error_code ec, Args) { sent_ec = ec; }));
  net.last().drop();
  s->emit(event(*s, "buffered", {}, [&](std::error_code ec, Args) { buffered_ec = ec; }));
  EXPECT_EQ(sent_ec, errc::sio_not_connected);
  EXPECT_FALSE(buffered_ec);  // goes out on reconnection, its ack still expected
  loop.advance(1000ms);
  net.last().open();
  net.last().message(R"(0{"sid":"s2"})");
  net.last().message(R"(31["done"])");
  EXPECT_FALSE(buffered_ec);
}

TEST_F(SocketTest, AnAckTimeoutRemovesTheBufferedEvent) {
  s->connect();
  EmitOptions o;
  o.timeout = 100ms;
  std::error_code ec;
  s->emit(event(*s, "late", {}, [&](std::error_code e, Args) { ec = e; }, o));
  loop.advance(100ms);
  EXPECT_EQ(ec, errc::sio_ack_timeout);
  EXPECT_EQ(s->buffered(), 0u);
}

TEST_F(SocketTest, ConnectErrorFromTheServer) {
  use("/admin", {});
  s->connect();
  net.last().open();
  net.last().message(R"(4/admin,{"message":"not authorized","data":{"reason":"bad token"}})");
  EXPECT_EQ(log.events, Strings{R"(connect_error not authorized {"reason":"bad token"})"});
  EXPECT_FALSE(s->active());
  EXPECT_TRUE(net.last().closed);  // no other socket wanted the connection
}

TEST_F(SocketTest, ServerDisconnectDoesNotRejoin) {
  auto& other = m.socket("/other", {});
  other.connect();
  join();
  net.last().message("1");
  EXPECT_EQ(log.events.back(), "disconnect io server disconnect");
  EXPECT_FALSE(s->active());
  EXPECT_FALSE(net.last().closed);  // "/other" still wants it
  net.last().drop();
  loop.advance(1000ms);
  net.last().open();
  EXPECT_EQ(net.last().texts(), Strings{"0/other,"});  // only the active one rejoins
}

TEST_F(SocketTest, EventsBeforeTheConnectAnswerWait) {
  s->connect();
  net.last().open();
  net.last().message(R"(2["early"])");
  EXPECT_TRUE(log.received.empty());
  net.last().message(R"(0{"sid":"s1"})");
  EXPECT_EQ(log.events, (Strings{"event early", "connect"}));
}

}  // namespace
}  // namespace sio::client::test
