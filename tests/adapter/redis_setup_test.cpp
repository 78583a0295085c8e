// sio::redis_adapter, what a program's --redis flag calls.
#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include <sio/redis.hpp>

#include "adapter/adapter.hpp"
#include "redis_server.hpp"

namespace sio {
namespace {

TEST(RedisSetup, RejectsABadUrl) {
  std::string error;
  EXPECT_FALSE(redis_adapter({.url = "http://127.0.0.1:6379"}, error));
  EXPECT_NE(error.find("redis://"), std::string::npos);
}

TEST(RedisSetup, ConnectsAndReportsStatus) {
  test::RedisServer server;
  std::string error;
  auto redis = redis_adapter({.url = server.url()}, error);
  ASSERT_TRUE(redis) << error;
  ASSERT_TRUE(redis->factory);
  // The link comes up in the background; its status says when (bounded poll).
  for (int i = 0; i < 400 && !redis->status().connected; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  EXPECT_TRUE(redis->status().connected);
  EXPECT_EQ(redis->status().connects, 1u);

  server.stop();
  for (int i = 0; i < 400 && redis->status().connected; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  const RedisStatus down = redis->status();
  EXPECT_FALSE(down.connected);
  EXPECT_EQ(down.outages, 1u);
  EXPECT_FALSE(down.last_error.empty());
  EXPECT_GT(down.down_since.time_since_epoch().count(), 0);
}

}  // namespace
}  // namespace sio
