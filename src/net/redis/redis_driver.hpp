// The Redis pub/sub driver (adapter/redis/driver.hpp) on Asio: a publisher
// link (PUBLISH, PUBSUB NUMSUB) and a subscriber link, each a RespConnection.
// A link that drops is reconnected with exponential backoff and the
// subscriber's channels and patterns are subscribed again; meanwhile
// publishes are dropped and counted, numsub fails fast, and status() tells.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "adapter/redis/driver.hpp"
#include "net/redis/redis_url.hpp"

namespace sio::net::redis {

struct RedisDriverOptions {
  RedisEndpoint endpoint;
  // First reconnection delay, doubled after each failed try up to the max.
  std::chrono::milliseconds reconnect_min{50};    // quick first retry: restarts are short
  std::chrono::milliseconds reconnect_max{2000};  // an outage is noticed within 2 s of its end
};

// Runs on `ctx` (whose thread is "the driver's thread"); `ctx` must outlive it.
std::unique_ptr<adapter::redis::Driver> make_redis_driver(boost::asio::io_context& ctx, RedisDriverOptions options);

// Same, on an io_context and thread of its own (stopped by stop() or the
// destructor): what a server uses, so Redis traffic never waits behind
// socket work.
std::unique_ptr<adapter::redis::Driver> make_threaded_redis_driver(RedisDriverOptions options);

}  // namespace sio::net::redis
