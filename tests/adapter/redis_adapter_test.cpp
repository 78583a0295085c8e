// The Redis adapter between in-process nodes on a fake bus (redis_fakes.hpp):
// every cross-node operation, the "exactly once" rules, timeouts with
// partial results, and a Redis outage. The same protocol against the real
// Node adapter is in redis_node_interop_test.cpp.
#include <gtest/gtest.h>

#include <memory>

#include <sio/error.hpp>

#include "adapter/redis/redis_adapter.hpp"
#include "redis_fakes.hpp"

namespace sio::adapter::redis {
namespace {
namespace json = boost::json;
using test::redisfake::FakeBus;
using test::redisfake::FakeDriver;
using test::redisfake::FakeLoop;
using test::redisfake::FakeMember;

struct Node {
  Node(FakeBus& bus, std::string nsp = "/") : driver(std::make_shared<FakeDriver>(bus)) {
    bus.attach(driver.get());
    RedisAdapterOptions o;
    o.requests_timeout = std::chrono::milliseconds(1000);
    cluster = RedisCluster::create(driver, o);
    Context ctx;
    ctx.nsp = std::move(nsp);
    ctx.loops = {&loop};
    ctx.on_server_side_emit = [this](const std::string& ev, const Args& args, AckFn ack) {
      emitted.push_back(ev + ":" + FakeMember::text(args));
      if (ack) ack(Args{Payload(json::string_view("pong from " + name))});
    };
    adapter = cluster->factory()(ctx);
  }
  FakeMember& add(const std::string& id, std::vector<std::string> rooms = {}) {
    members.push_back(std::make_unique<FakeMember>(id));
    members.back()->info_.rooms.insert(id);  // what the socket would report
    members.back()->info_.rooms.insert(rooms.begin(), rooms.end());
    adapter->add(0, *members.back());
    if (!rooms.empty()) adapter->join(0, id, rooms);
    return *members.back();
  }

  std::string name;
  std::shared_ptr<FakeDriver> driver;
  FakeLoop loop;
  std::shared_ptr<RedisCluster> cluster;
  std::unique_ptr<Adapter> adapter;
  std::vector<std::unique_ptr<FakeMember>> members;
  std::vector<std::string> emitted;
};

class RedisAdapterTest : public ::testing::Test {
 protected:
  RedisAdapterTest() {
    for (const char* n : {"A", "B", "C"}) {
      nodes.push_back(std::make_unique<Node>(bus));
      nodes.back()->name = n;
    }
    a1 = &A().add("a1", {"red"});
    a2 = &A().add("a2", {"blue"});
    b1 = &B().add("b1", {"red", "blue"});
    c1 = &C().add("c1", {"green"});
  }
  Node& A() { return *nodes[0]; }
  Node& B() { return *nodes[1]; }
  Node& C() { return *nodes[2]; }

  // Runs everything queued on the bus and the loops until nothing is left.
  void pump() {
    for (bool busy = true; busy;) {
      busy = bus.step();
      for (auto& n : nodes)
        while (n->loop.step()) busy = true;
    }
  }
  void fire_timers() {
    for (auto& n : nodes) n->loop.fire_timers();
    pump();
  }

  static BroadcastPacket packet(std::string event, Args args = {}) {
    BroadcastPacket p;
    p.event = std::move(event);
    p.args = std::move(args);
    return p;
  }

  FakeBus bus;
  std::vector<std::unique_ptr<Node>> nodes;
  FakeMember *a1, *a2, *b1, *c1;
};

TEST_F(RedisAdapterTest, EveryNodeSubscribesTheNodeAdapterChannels) {
  EXPECT_TRUE(A().driver->patterns_.count("socket.io#/#*"));
  EXPECT_TRUE(A().driver->channels_.count("socket.io-request#/#"));
  EXPECT_TRUE(A().driver->channels_.count("socket.io-response#/#"));
  EXPECT_EQ(A().driver->channels_.size(), 3u);  // + the uid-specific response channel
  std::size_t count = 0;
  A().adapter->server_count([&](std::size_t n) { count = n; });
  EXPECT_EQ(count, 3u);
}

TEST_F(RedisAdapterTest, BroadcastReachesEverySocketOfEveryNodeOnce) {
  A().adapter->broadcast(packet("news", {1, "x"}), {});
  pump();
  for (auto* m : {a1, a2, b1, c1}) EXPECT_EQ(m->received, std::vector<std::string>{"news:1,\"x\""}) << m->id();
  ASSERT_EQ(bus.published.size(), 1u);
  EXPECT_EQ(bus.published[0].first, "socket.io#/#");
}

TEST_F(RedisAdapterTest, RoomsAndExceptApplyOnEveryNode) {
  BroadcastOptions o;
  o.rooms = {"red", "green"};
  o.except = {"blue"};
  B().adapter->broadcast(packet("r"), o);
  pump();
  EXPECT_EQ(a1->received.size(), 1u);  // red
  EXPECT_TRUE(a2->received.empty());   // neither
  EXPECT_TRUE(b1->received.empty());   // red but blue
  EXPECT_EQ(c1->received.size(), 1u);  // green

  BroadcastOptions one;
  one.rooms = {"green"};
  A().adapter->broadcast(packet("g"), one);
  pump();
  EXPECT_EQ(bus.published.back().first, "socket.io#/#green#");
  EXPECT_EQ(c1->received.back(), "g:");
  EXPECT_EQ(a1->received.size(), 1u);
}

TEST_F(RedisAdapterTest, LocalBroadcastStaysHome) {
  BroadcastOptions o;
  o.flags.local = true;
  A().adapter->broadcast(packet("l"), o);
  pump();
  EXPECT_EQ(a1->received.size(), 1u);
  EXPECT_TRUE(b1->received.empty());
  EXPECT_TRUE(bus.published.empty());
}

TEST_F(RedisAdapterTest, BinaryArgumentsCrossNodes) {
  PayloadBuilder pb;
  json::object file{{"name", "f"}, {"data", pb.add(Binary{1, 2, 3})}};
  A().adapter->broadcast(packet("file", {pb.build(std::move(file)), Binary{9}}), {});
  pump();
  ASSERT_EQ(c1->received.size(), 1u);
  EXPECT_EQ(c1->received[0],
            R"(file:{"name":"f","data":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1})");  // the packet's numbering
  EXPECT_EQ(c1->binaries[0], 2u);
}

TEST_F(RedisAdapterTest, FetchSocketsGathersEveryNode) {
  std::error_code ec = make_error_code(errc::closed);
  std::vector<SocketInfo> got;
  BroadcastOptions o;
  o.except = {"blue"};
  A().adapter->fetch_sockets(o, [&](std::error_code e, std::vector<SocketInfo> s) {
    ec = e;
    got = std::move(s);
  });
  pump();
  EXPECT_FALSE(ec);
  std::set<std::string> ids;
  for (auto& s : got) ids.insert(s.id);
  EXPECT_EQ(ids, (std::set<std::string>{"a1", "c1"}));
  for (auto& s : got)
    if (s.id == "c1") {
      EXPECT_EQ(s.rooms, (std::set<std::string>{"c1", "green"}));
      EXPECT_EQ(s.handshake.address(), "127.0.0.1");
      EXPECT_EQ(s.handshake.issued, 1704164645000);
      EXPECT_EQ(s.handshake.query().count("EIO"), 1u);
      EXPECT_EQ(s.handshake.header("host"), "localhost");
      EXPECT_EQ(s.handshake.url(), "/socket.io/?EIO=4&transport=websocket");
      EXPECT_EQ(s.handshake.time(), "Tue Jan 02 2024 03:04:05 GMT+0000 (Coordinated Universal Time)");
    }
}

TEST_F(RedisAdapterTest, FetchTimesOutWithWhatArrived) {
  std::error_code ec;
  std::vector<SocketInfo> got;
  bool done = false;
  // NUMSUB counts C (3 servers), then C goes deaf before the request arrives.
  A().adapter->fetch_sockets({}, [&](std::error_code e, std::vector<SocketInfo> s) {
    ec = e;
    got = std::move(s);
    done = true;
  });
  C().driver->stopped_ = true;  // the request is queued, not yet delivered
  pump();
  EXPECT_FALSE(done);
  fire_timers();
  ASSERT_TRUE(done);
  EXPECT_EQ(ec, make_error_code(errc::sio_remote_timeout));
  EXPECT_EQ(got.size(), 3u);  // a1, a2, b1
}

TEST_F(RedisAdapterTest, JoinLeaveDisconnectReachOtherNodes) {
  BroadcastOptions red;
  red.rooms = {"red"};
  C().adapter->add_sockets(red, {"vip"});
  pump();
  BroadcastOptions vip;
  vip.rooms = {"vip"};
  C().adapter->broadcast(packet("v"), vip);
  pump();
  EXPECT_EQ(a1->received.size(), 1u);
  EXPECT_EQ(b1->received.size(), 1u);
  EXPECT_TRUE(a2->received.empty());

  C().adapter->del_sockets(red, {"vip"});
  pump();
  C().adapter->broadcast(packet("v2"), vip);
  pump();
  EXPECT_EQ(a1->received.size(), 1u);

  BroadcastOptions green;
  green.rooms = {"green"};
  A().adapter->disconnect_sockets(green, true);
  pump();
  EXPECT_EQ(c1->disconnected, 2);
  EXPECT_EQ(a1->disconnected, 0);
}

TEST_F(RedisAdapterTest, ServerSideEmitReachesOtherNodesAndGathersAcks) {
  A().adapter->server_side_emit("hello", {1}, nullptr);
  pump();
  EXPECT_TRUE(A().emitted.empty());
  EXPECT_EQ(B().emitted, std::vector<std::string>{"hello:1"});
  EXPECT_EQ(C().emitted, std::vector<std::string>{"hello:1"});

  std::error_code ec = make_error_code(errc::closed);
  std::vector<std::string> replies;
  B().adapter->server_side_emit("ping", {}, [&](std::error_code e, std::vector<Args> r) {
    ec = e;
    for (auto& a : r) replies.push_back(FakeMember::text(a));
  });
  pump();
  EXPECT_FALSE(ec);
  std::sort(replies.begin(), replies.end());
  EXPECT_EQ(replies, (std::vector<std::string>{"\"pong from A\"", "\"pong from C\""}));
}

TEST_F(RedisAdapterTest, BroadcastWithAckCountsAndAcksEveryNode) {
  std::vector<std::size_t> counts;
  std::vector<std::string> acks;
  BroadcastPacket p = packet("q");
  p.id = 7;
  A().adapter->broadcast_with_ack(std::move(p), {}, [&](std::size_t n) { counts.push_back(n); },
                                  [&](Args r) { acks.push_back(FakeMember::text(r)); });
  pump();
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<std::size_t>{1, 1, 2}));  // one per server: B, C, A
  std::sort(acks.begin(), acks.end());
  EXPECT_EQ(acks, (std::vector<std::string>{"\"a1\"", "\"a2\"", "\"b1\"", "\"c1\""}));
}

TEST_F(RedisAdapterTest, OutageKeepsLocalDeliveryAndCountsOneServer) {
  A().driver->set_down(true);
  A().adapter->broadcast(packet("alone"), {});
  pump();
  EXPECT_EQ(a1->received.size(), 1u);
  EXPECT_TRUE(b1->received.empty());
  EXPECT_EQ(A().cluster->status().dropped_publishes, 1u);
  EXPECT_FALSE(A().cluster->status().connected);
  std::size_t count = 0;
  A().adapter->server_count([&](std::size_t n) { count = n; });
  EXPECT_EQ(count, 1u);
  std::vector<SocketInfo> got;
  A().adapter->fetch_sockets({}, [&](std::error_code, std::vector<SocketInfo> s) { got = std::move(s); });
  pump();
  EXPECT_EQ(got.size(), 2u);

  A().driver->set_down(false);
  A().adapter->broadcast(packet("back"), {});
  pump();
  EXPECT_EQ(b1->received, std::vector<std::string>{"back:"});
}

TEST_F(RedisAdapterTest, ASilentRedisDoesNotHangOperations) {
  A().driver->silent_ = true;
  bool done = false;
  std::vector<SocketInfo> got;
  A().adapter->fetch_sockets({}, [&](std::error_code, std::vector<SocketInfo> s) {
    done = true;
    got = std::move(s);
  });
  pump();
  EXPECT_FALSE(done);
  fire_timers();  // requests_timeout passes: counted as alone
  ASSERT_TRUE(done);
  EXPECT_EQ(got.size(), 2u);
}

TEST_F(RedisAdapterTest, NamespacesDoNotMix) {
  Node other(bus, "/chat");
  nodes.push_back(nullptr);  // keep indexes; not pumped
  nodes.pop_back();
  FakeMember& x = other.add("x1");
  A().adapter->broadcast(packet("root"), {});
  pump();
  EXPECT_TRUE(x.received.empty());
}

}  // namespace
}  // namespace sio::adapter::redis
