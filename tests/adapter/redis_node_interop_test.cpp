// Our Redis adapter and the official Node one in one cluster: a real
// redis-server, a Node socket.io server on @socket.io/redis-adapter with an
// official socket.io-client (node_peer.mjs), an @socket.io/redis-emitter,
// and this process as the second server (sockets are recording members).
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include <boost/json/array.hpp>

#include "adapter/redis/redis_adapter.hpp"
#include "net/loop.hpp"
#include "net/redis/redis_driver.hpp"
#include "cluster_vectors.hpp"
#include "node_peer.hpp"
#include "redis_server.hpp"

namespace sio::adapter::redis {
namespace {
namespace json = boost::json;
constexpr auto kWait = std::chrono::seconds(10);

std::string text(const Args& args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ",";
    wire::socketio::append_json(out, a.json());
  }
  return out;
}

// A socket of the C++ server: records deliveries (on the loop thread).
class Recorder final : public Member {
 public:
  Recorder(std::string id, std::set<std::string> rooms) {
    info_.id = std::move(id);
    info_.rooms = std::move(rooms);
    info_.rooms.insert(info_.id);
    info_.data = json::object{{"lang", "c++"}};
    info_.handshake = Handshake(std::make_shared<const HttpRequest>(HttpRequest::Builder().remote_address("10.0.0.1").build()), 0, {});
  }
  const SocketId& id() const override { return info_.id; }
  void deliver(const BroadcastPacket& p, const wire::socketio::Encoded& bytes, const BroadcastFlags&) override {
    std::lock_guard lk(mu_);
    got_.push_back(p.event + "(" + text(p.args) + ")");
    for (const auto& a : bytes.attachments) blobs_.emplace_back(a.view());
    cv_.notify_all();
  }
  void deliver_with_ack(const BroadcastPacket& p, const wire::socketio::Encoded& b, const BroadcastFlags& f,
                        AckFn ack) override {
    deliver(p, b, f);
    ack(Args{Payload(json::string_view("cpp-ack-" + info_.id))});
  }
  SocketInfo info() const override { return info_; }
  void disconnect(bool) override {
    std::lock_guard lk(mu_);
    got_.push_back("<disconnect>");
    cv_.notify_all();
  }
  // Waits for `what`; returns how many times it arrived.
  std::size_t wait(const std::string& what) {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, kWait, [&] { return std::count(got_.begin(), got_.end(), what) > 0; });
    return static_cast<std::size_t>(std::count(got_.begin(), got_.end(), what));
  }
  std::size_t seen(const std::string& what) {
    std::lock_guard lk(mu_);
    return static_cast<std::size_t>(std::count(got_.begin(), got_.end(), what));
  }
  std::vector<std::string> blobs() {
    std::lock_guard lk(mu_);
    return blobs_;
  }

  SocketInfo info_;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> got_;
  std::vector<std::string> blobs_;
};

class RedisNodeInterop : public ::testing::Test {
 protected:
  RedisNodeInterop() : node(redis.port()), loop(0), thread([this] { loop.run(); }) {
    net::redis::RedisDriverOptions o;
    o.endpoint = *net::redis::parse_redis_url(redis.url());
    RedisAdapterOptions ao;
    ao.requests_timeout = std::chrono::milliseconds(3000);
    cluster = RedisCluster::create(std::shared_ptr<Driver>(net::redis::make_threaded_redis_driver(o)), ao);
    Context ctx;
    ctx.nsp = "/";
    ctx.loops = {&loop};
    ctx.on_server_side_emit = [this](const std::string& ev, const Args& args, AckFn ack) {
      {
        std::lock_guard lk(sse_mu);
        sse.push_back(ev + "(" + text(args) + ")");
      }
      sse_cv.notify_all();
      if (ack) ack(Args{Payload("cpp-pong")});
    };
    adapter = cluster->factory()(ctx);
    on_loop([&] {
      adapter->add(0, red);
      adapter->join(0, red.id(), {"red"});
      adapter->add(0, green);
      adapter->join(0, green.id(), {"green"});
    });
    ready = node.wait([](const json::object& o) { return o.contains("ready"); });
    // Both servers subscribed: NUMSUB of the request channel says 2.
    for (int i = 0; i < 200 && !(ready.is_object() && server_count() == 2); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~RedisNodeInterop() override {
    // As the server does it: nothing more comes from Redis, the loop runs
    // what it was given (broadcasts hold the adapter's shards) and stops,
    // then the adapter goes.
    adapter->close();
    on_loop([] {});
    loop.stop();
    thread.join();
    adapter.reset();
    cluster.reset();
  }

  void on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loop.post([&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }
  std::int64_t server_count() { return node.ask({{"cmd", "count"}}).at("count").as_int64(); }
  std::string node_client_id() { return std::string(ready.at("ready").at("id").get_string()); }

  static BroadcastPacket packet(std::string event, Args args = {}) {
    BroadcastPacket p;
    p.event = std::move(event);
    p.args = std::move(args);
    return p;
  }
  // Sends a marker behind everything published so far and waits for it at
  // the Node client: whatever was sent before it has arrived by then.
  void flush_to_node(const std::string& marker) {
    adapter->broadcast(packet(marker), {});
    ASSERT_FALSE(node.wait(test::NodePeer::client_got(marker)).is_null()) << marker;
  }

  test::RedisServer redis;
  test::NodePeer node;
  net::AsioLoop loop;
  std::thread thread;
  std::shared_ptr<RedisCluster> cluster;
  std::unique_ptr<Adapter> adapter;
  Recorder red{"cpp-red", {"red"}}, green{"cpp-green", {"green"}};
  json::value ready;
  std::mutex sse_mu;
  std::condition_variable sse_cv;
  std::vector<std::string> sse;
};

TEST_F(RedisNodeInterop, TheClusterHasTwoServers) {
  ASSERT_TRUE(ready.is_object());
  EXPECT_EQ(server_count(), 2);
  std::size_t ours = 0;
  std::promise<void> p;
  adapter->server_count([&](std::size_t n) {
    ours = n;
    p.set_value();
  });
  p.get_future().wait_for(kWait);
  EXPECT_EQ(ours, 2u);
}

TEST_F(RedisNodeInterop, OurBroadcastsReachTheNodeClientOnce) {
  adapter->broadcast(packet("hello", {1, "two", json::object{{"k", true}}}), {});
  BroadcastOptions red_only;
  red_only.rooms = {"red"};
  adapter->broadcast(packet("to-red"), red_only);  // the Node client is in red and blue
  BroadcastOptions green_only;
  green_only.rooms = {"green"};
  adapter->broadcast(packet("to-green"), green_only);
  BroadcastOptions except_blue;
  except_blue.except = {"blue"};
  adapter->broadcast(packet("not-blue"), except_blue);
  adapter->broadcast(packet("bin", {Binary{1, 2, 255}}), {});
  flush_to_node("end");

  using test::NodePeer;
  EXPECT_EQ(node.count(NodePeer::client_got("hello")), 1u);
  auto hello = node.wait(NodePeer::client_got("hello"));
  EXPECT_EQ(test::json_text(hello.at("client").at("args")), R"([1,"two",{"k":true}])");
  EXPECT_EQ(node.count(NodePeer::client_got("to-red")), 1u);
  EXPECT_EQ(node.count(NodePeer::client_got("to-green")), 0u);
  EXPECT_EQ(node.count(NodePeer::client_got("not-blue")), 0u);
  auto bin = node.wait(NodePeer::client_got("bin"));
  EXPECT_EQ(test::json_text(bin.at("client").at("args")), R"([{"$bin":[1,2,255]}])");
  // Local sockets got them too, once.
  EXPECT_EQ(red.wait("hello(1,\"two\",{\"k\":true})"), 1u);
  EXPECT_EQ(red.seen("to-red()"), 1u);
  EXPECT_EQ(green.seen("to-red()"), 0u);
}

TEST_F(RedisNodeInterop, NodeBroadcastsReachOurSocketsOnce) {
  node.send({{"cmd", "emit"}, {"event", "n1"}, {"args", json::array{1, {{"$bin", {7, 8}}}}}});
  node.send({{"cmd", "emit"}, {"event", "n-green"}, {"args", json::array{}}, {"to", "green"}});
  node.send({{"cmd", "emit"}, {"event", "n-except"}, {"args", json::array{}}, {"except", "green"}});
  node.send({{"cmd", "emit"}, {"event", "end"}, {"args", json::array{}}});
  ASSERT_EQ(red.wait("end()"), 1u);
  ASSERT_EQ(green.wait("end()"), 1u);
  EXPECT_EQ(red.seen("n1(1,{\"_placeholder\":true,\"num\":0})"), 1u);
  EXPECT_EQ(red.blobs().front(), std::string("\x07\x08"));
  EXPECT_EQ(green.seen("n-green()"), 1u);
  EXPECT_EQ(red.seen("n-green()"), 0u);
  EXPECT_EQ(red.seen("n-except()"), 1u);
  EXPECT_EQ(green.seen("n-except()"), 0u);
}

TEST_F(RedisNodeInterop, EmitterMessagesReachOurSockets) {
  node.send({{"cmd", "emitter"}, {"event", "from-emitter"}, {"args", json::array{"x"}}});
  node.send({{"cmd", "emitter"}, {"event", "emitter-green"}, {"args", json::array{}}, {"to", "green"}});
  EXPECT_EQ(red.wait("from-emitter(\"x\")"), 1u);
  EXPECT_EQ(green.wait("emitter-green()"), 1u);
  EXPECT_EQ(green.wait("from-emitter(\"x\")"), 1u);
  EXPECT_EQ(red.seen("emitter-green()"), 0u);
  EXPECT_FALSE(node.wait(test::NodePeer::client_got("from-emitter")).is_null());
}

TEST_F(RedisNodeInterop, NodeFetchSocketsSeesOurSockets) {
  auto reply = node.ask({{"cmd", "fetch"}});
  ASSERT_TRUE(reply.contains("sockets")) << json::serialize(reply);
  std::map<std::string, json::object> by_id;
  for (const auto& s : reply.at("sockets").get_array()) by_id[std::string(s.at("id").get_string())] = s.get_object();
  ASSERT_EQ(by_id.size(), 3u);
  EXPECT_EQ(test::json_text(by_id["cpp-red"].at("data")), R"({"lang":"c++"})");
  EXPECT_EQ(by_id["cpp-red"].at("address").get_string(), "10.0.0.1");
  EXPECT_EQ(by_id["cpp-green"].at("rooms").get_array().size(), 2u);
  EXPECT_TRUE(by_id.count(node_client_id()));
}

TEST_F(RedisNodeInterop, OurFetchSocketsSeesTheNodeClient) {
  std::promise<std::pair<std::error_code, std::vector<SocketInfo>>> p;
  BroadcastOptions o;
  o.rooms = {"blue", "green"};
  adapter->fetch_sockets(o, [&](std::error_code ec, std::vector<SocketInfo> s) { p.set_value({ec, std::move(s)}); });
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
  auto [ec, sockets] = f.get();
  EXPECT_FALSE(ec) << ec.message();
  std::set<std::string> ids;
  for (const auto& s : sockets) ids.insert(s.id);
  EXPECT_EQ(ids, (std::set<std::string>{"cpp-green", node_client_id()}));
  for (const auto& s : sockets)
    if (s.id == node_client_id()) {
      EXPECT_EQ(s.rooms.count("red"), 1u);
      EXPECT_EQ(s.handshake.address(), "127.0.0.1");
      EXPECT_EQ(s.handshake.query().count("EIO"), 1u);
      EXPECT_EQ(test::json_text(s.data), R"({"lang":"js"})");
    }
}

TEST_F(RedisNodeInterop, RemoteJoinLeaveDisconnectAndRemoteEmit) {
  node.ask({{"cmd", "join"}, {"to", "red"}, {"room", "vip"}});
  node.send({{"cmd", "emit"}, {"event", "vip-news"}, {"args", json::array{}}, {"to", "vip"}});
  EXPECT_EQ(red.wait("vip-news()"), 1u);
  EXPECT_EQ(green.seen("vip-news()"), 0u);

  // A remote socket's emit: Node's RemoteSocket.emit to one of ours.
  node.ask({{"cmd", "remoteEmit"}, {"id", "cpp-green"}, {"event", "direct"}});
  EXPECT_EQ(green.wait("direct(\"to-you\")"), 1u);

  // Our sockets_join reaches the Node client.
  BroadcastOptions blue;
  blue.rooms = {"blue"};
  adapter->add_sockets(blue, {"from-cpp"});
  // Our request and Node's fetch travel separately: ask until the join shows
  // (bounded; each try is a full round trip through Redis).
  std::size_t joined = 0;
  for (int i = 0; i < 50 && joined == 0; ++i)
    joined = node.ask({{"cmd", "fetch"}, {"to", "from-cpp"}}).at("sockets").get_array().size();
  EXPECT_EQ(joined, 1u);

  node.send({{"cmd", "disconnect"}, {"to", "green"}});
  EXPECT_EQ(green.wait("<disconnect>"), 1u);
  EXPECT_EQ(red.seen("<disconnect>"), 0u);
}

TEST_F(RedisNodeInterop, ServerSideEmitBothWaysWithAcks) {
  // Node -> us.
  node.send({{"cmd", "sse"}, {"event", "sse"}, {"args", json::array{"a", 1}}});
  {
    std::unique_lock lk(sse_mu);
    ASSERT_TRUE(sse_cv.wait_for(lk, kWait, [&] { return !sse.empty(); }));
    EXPECT_EQ(sse.front(), "sse(\"a\",1)");
  }
  auto acked = node.ask({{"cmd", "sseAck"}, {"event", "sse"}, {"args", json::array{"q"}}});
  ASSERT_TRUE(acked.contains("responses")) << json::serialize(acked);
  EXPECT_EQ(test::json_text(acked.at("responses")), R"(["cpp-pong"])") << json::serialize(acked);

  // Us -> Node.
  std::promise<std::pair<std::error_code, std::vector<Args>>> p;
  adapter->server_side_emit("sse", {"from-cpp"}, [&](std::error_code ec, std::vector<Args> r) {
    p.set_value({ec, std::move(r)});
  });
  auto f = p.get_future();
  ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
  auto [ec, replies] = f.get();
  EXPECT_FALSE(ec) << ec.message();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(text(replies[0]), "\"node-pong\"");
  EXPECT_FALSE(node.wait([](const json::object& o) {
                      return o.contains("sse") && test::json_text(o.at("sse").at("args")) == R"(["from-cpp"])";
                    }).is_null());
}

TEST_F(RedisNodeInterop, BroadcastAcksAreAggregatedAcrossNodes) {
  // Node asks: every client of both servers answers.
  auto reply = node.ask({{"cmd", "emitAck"}, {"event", "question"}});
  ASSERT_TRUE(reply.contains("responses")) << json::serialize(reply);
  std::multiset<std::string> answers;
  for (const auto& r : reply.at("responses").get_array()) answers.insert(std::string(r.get_string()));
  EXPECT_EQ(answers, (std::multiset<std::string>{"cpp-ack-cpp-green", "cpp-ack-cpp-red", "js-ack"}));

  // We ask: the Node server reports its client count, its client answers.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::size_t> counts;
  std::vector<std::string> acks;
  BroadcastPacket p = packet("question2");
  p.id = 1;
  BroadcastOptions o;
  o.flags.timeout = std::chrono::milliseconds(3000);
  adapter->broadcast_with_ack(
      std::move(p), o,
      [&](std::size_t n) {
        std::lock_guard lk(mu);
        counts.push_back(n);
        cv.notify_all();
      },
      [&](Args a) {
        std::lock_guard lk(mu);
        acks.push_back(text(a));
        cv.notify_all();
      });
  std::unique_lock lk(mu);
  ASSERT_TRUE(cv.wait_for(lk, kWait, [&] { return counts.size() == 2 && acks.size() == 3; }));
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<std::size_t>{1, 2}));  // Node's server: 1 client; ours: 2
  std::sort(acks.begin(), acks.end());
  EXPECT_EQ(acks, (std::vector<std::string>{"\"cpp-ack-cpp-green\"", "\"cpp-ack-cpp-red\"", "\"js-ack\""}));
}

TEST_F(RedisNodeInterop, BroadcastsCrossAgainAfterARedisRestart) {
  redis.stop();
  // Meanwhile our sockets still get our broadcasts.
  adapter->broadcast(packet("during"), {});
  EXPECT_EQ(red.wait("during()"), 1u);
  redis.start();
  // Both servers back: NUMSUB counts them again.
  for (int i = 0; i < 400 && !(cluster->status().connected && server_count() == 2); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_TRUE(cluster->status().connected);
  EXPECT_GE(cluster->status().outages, 1u);
  flush_to_node("after-restart");
  node.send({{"cmd", "emit"}, {"event", "node-after"}, {"args", json::array{}}});
  EXPECT_EQ(red.wait("node-after()"), 1u);
}

}  // namespace
}  // namespace sio::adapter::redis
