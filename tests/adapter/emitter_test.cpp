// sio::Emitter against a real redis-server started by the test: what it
// holds while Redis is away goes out once Redis is back, its queue is
// bounded, and bad calls are refused at once. (Its format against
// @socket.io/redis-emitter, byte for byte, and delivery to C++ and Node
// nodes: tests/interop/redis/emitter.test.mjs.)
#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include <sio/emitter.hpp>

#include "redis_server.hpp"

namespace sio {
namespace {

using namespace std::chrono_literals;

TEST(Emitter, WhatIsEmittedWhileRedisIsDownGoesOutOnceItIsBack) {
  test::RedisServer redis;
  redis.stop();
  Emitter emitter({.url = redis.url()});
  EXPECT_TRUE(emitter.emit("a", 1));
  EXPECT_TRUE(emitter.to("room").emit("b", Binary{1, 2, 3}));
  EXPECT_TRUE(emitter.of("/admin").sockets_join({"x"}));
  std::string error;
  EXPECT_FALSE(emitter.flush(200ms, &error));
  EXPECT_NE(error.find("did not take 3 message(s) within 200 ms"), std::string::npos) << error;
  EmitterStatus s = emitter.status();
  EXPECT_FALSE(s.connected);
  EXPECT_EQ(s.queued, 3u);
  EXPECT_EQ(s.published, 0u);
  EXPECT_FALSE(s.last_error.empty());

  redis.start();
  EXPECT_TRUE(emitter.flush(10s, &error)) << error;  // bounded: reconnection backs off to 2 s at most
  s = emitter.status();
  EXPECT_TRUE(s.connected);
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.published, 3u);
}

TEST(Emitter, PastItsQueueCapACallIsRefusedAndCounted) {
  test::RedisServer redis;
  redis.stop();
  Emitter emitter({.url = redis.url(), .max_queued_bytes = 300});
  EXPECT_TRUE(emitter.emit("small", "x"));
  EXPECT_FALSE(emitter.emit("big", std::string(400, 'y')));
  const EmitterStatus s = emitter.status();
  EXPECT_EQ(s.queued, 1u);
  EXPECT_EQ(s.refused, 1u);
}

TEST(Emitter, BadCallsAreRefusedAtOnce) {
  EXPECT_THROW(Emitter({.url = "http://127.0.0.1:6379"}), std::invalid_argument);
  test::RedisServer redis;
  Emitter emitter({.url = redis.url()});
  EXPECT_THROW(emitter.emit("disconnect"), std::invalid_argument);
  EXPECT_THROW(emitter.to("r").emit("connect_error", 1), std::invalid_argument);
  std::string error;
  EXPECT_TRUE(emitter.flush(10s, &error)) << error;  // nothing was queued
  EXPECT_EQ(emitter.status().published, 0u);
}

TEST(Emitter, GoingAwayWithMessagesStillQueuedDoesNotWait) {
  test::RedisServer redis;
  redis.stop();
  {
    Emitter emitter({.url = redis.url()});
    for (int i = 0; i < 100; ++i) emitter.emit("e", i);
  }  // the destructor returns: unsent messages are dropped (flush() first to wait)
  SUCCEED();
}

}  // namespace
}  // namespace sio
