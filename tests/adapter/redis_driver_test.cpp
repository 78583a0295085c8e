// The Asio/hiredis driver against a real redis-server started by the test:
// pub/sub, patterns, NUMSUB, and surviving a Redis restart.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

#include <sio/error.hpp>

#include "net/redis/redis_driver.hpp"
#include "redis_server.hpp"

namespace sio::net::redis {
namespace {

using adapter::redis::Driver;
using adapter::redis::DriverCallbacks;
using Clock = std::chrono::steady_clock;
constexpr auto kWait = std::chrono::seconds(10);  // bound on every wait below

// Records what a driver reports, and lets the test wait for it.
struct Probe {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<std::string, std::string>> messages;
  int ups = 0, downs = 0;

  DriverCallbacks callbacks() {
    return {[this](std::string_view c, std::string_view p) {
              std::lock_guard lk(mu);
              messages.emplace_back(c, p);
              cv.notify_all();
            },
            [this](bool up) {
              std::lock_guard lk(mu);
              (up ? ups : downs)++;
              cv.notify_all();
            }};
  }
  template <class Pred>
  bool wait(Pred p) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, kWait, p);
  }
  bool has(const std::string& channel, const std::string& payload) {
    for (auto& m : messages)
      if (m.first == channel && m.second == payload) return true;
    return false;
  }
};

std::unique_ptr<Driver> driver(const test::RedisServer& s) {
  RedisDriverOptions o;
  o.endpoint = *parse_redis_url(s.url());
  return make_threaded_redis_driver(o);
}

std::pair<std::error_code, std::uint64_t> numsub(Driver& d, const std::string& channel) {
  auto p = std::make_shared<std::promise<std::pair<std::error_code, std::uint64_t>>>();
  auto f = p->get_future();
  d.numsub(channel, [p](std::error_code ec, std::uint64_t n) { p->set_value({ec, n}); });
  if (f.wait_for(kWait) != std::future_status::ready) return {make_error_code(sio::errc::timed_out), 0};
  return f.get();
}

TEST(RedisUrl, Parses) {
  auto e = parse_redis_url("redis://:secret@example.org:6380/2");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "example.org");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->password, "secret");
  EXPECT_EQ(e->db, 2u);
  auto d = parse_redis_url("redis://localhost");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->port, 6379);
  EXPECT_FALSE(parse_redis_url("http://localhost:6379"));
  EXPECT_FALSE(parse_redis_url("redis://host:99999"));
  EXPECT_FALSE(parse_redis_url("localhost:6379"));
}

TEST(RedisDriver, PublishesToChannelsAndPatterns) {
  test::RedisServer server;
  Probe a;
  auto sub = driver(server);
  sub->subscribe("socket.io-request#/#");
  sub->psubscribe("socket.io#/#*");
  sub->start(a.callbacks());
  ASSERT_TRUE(a.wait([&] { return a.ups == 1; }));
  EXPECT_TRUE(sub->status().connected);

  Probe b;
  auto pub = driver(server);
  pub->start(b.callbacks());
  ASSERT_TRUE(b.wait([&] { return b.ups == 1; }));
  const std::string binary("\x93\x00\xff", 3);
  pub->publish("socket.io#/#room1#", binary);
  pub->publish("socket.io-request#/#", "{\"type\":6}");
  pub->publish("elsewhere", "nobody");
  ASSERT_TRUE(a.wait([&] { return a.messages.size() >= 2; }));
  EXPECT_TRUE(a.has("socket.io#/#room1#", binary));
  EXPECT_TRUE(a.has("socket.io-request#/#", "{\"type\":6}"));
}

TEST(RedisDriver, NumsubCountsSubscribers) {
  test::RedisServer server;
  Probe a, b;
  auto d1 = driver(server), d2 = driver(server);
  d1->subscribe("req");
  d2->subscribe("req");
  d1->start(a.callbacks());
  d2->start(b.callbacks());
  ASSERT_TRUE(a.wait([&] { return a.ups == 1; }));
  ASSERT_TRUE(b.wait([&] { return b.ups == 1; }));
  auto [ec, n] = numsub(*d1, "req");
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(numsub(*d1, "nobody-here").second, 0u);
}

TEST(RedisDriver, SurvivesARedisRestart) {
  test::RedisServer server;
  Probe a, b;
  auto sub = driver(server), pub = driver(server);
  sub->subscribe("chan");
  sub->psubscribe("pat#*");
  sub->start(a.callbacks());
  pub->start(b.callbacks());
  ASSERT_TRUE(a.wait([&] { return a.ups == 1; }));
  ASSERT_TRUE(b.wait([&] { return b.ups == 1; }));

  server.stop();
  ASSERT_TRUE(a.wait([&] { return a.downs == 1; }));
  ASSERT_TRUE(b.wait([&] { return b.downs == 1; }));
  auto st = pub->status();
  EXPECT_FALSE(st.connected);
  EXPECT_EQ(st.outages, 1u);
  EXPECT_FALSE(st.last_error.empty());
  pub->publish("chan", "lost");
  // The driver handles calls in order: once NUMSUB answers, the publish was dropped.
  EXPECT_EQ(numsub(*pub, "chan").first, make_error_code(sio::errc::cluster_unavailable));
  EXPECT_EQ(pub->status().dropped_publishes, 1u);

  server.start();
  ASSERT_TRUE(a.wait([&] { return a.ups == 2; }));  // back, resubscribed
  ASSERT_TRUE(b.wait([&] { return b.ups == 2; }));
  EXPECT_EQ(sub->status().connects, 2u);
  pub->publish("chan", "again");
  pub->publish("pat#x#", "pattern again");
  ASSERT_TRUE(a.wait([&] { return a.messages.size() >= 2; }));
  EXPECT_TRUE(a.has("chan", "again"));
  EXPECT_TRUE(a.has("pat#x#", "pattern again"));
  EXPECT_FALSE(a.has("chan", "lost"));
}

TEST(RedisDriver, ReportsDownWhenRedisIsNotThere) {
  test::RedisServer server;
  server.stop();
  Probe a;
  auto d = driver(server);
  d->start(a.callbacks());
  EXPECT_EQ(numsub(*d, "x").first, make_error_code(sio::errc::cluster_unavailable));
  EXPECT_FALSE(d->status().connected);
  server.start();
  ASSERT_TRUE(a.wait([&] { return a.ups == 1; }));
}

}  // namespace
}  // namespace sio::net::redis
