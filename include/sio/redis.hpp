// Scale-out over Redis: several servers (C++ or Node with
// @socket.io/redis-adapter 8.x, and @socket.io/redis-emitter publishers)
// share their rooms and broadcasts through one Redis.
//
//   std::string error;
//   auto redis = sio::redis_adapter({.url = "redis://127.0.0.1:6379"}, error);
//   if (!redis) { std::cerr << error; return 1; }
//   sio::Server io({.port = 3000, .adapter = redis->factory});
//   ...
//   sio::RedisStatus s = redis->status();   // up? since when down? why?
//
// See docs/scale-out.md (sticky sessions for long-polling behind a load
// balancer).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <sio/adapter.hpp>

namespace sio {

/// Where the Redis is and how the cluster's channels are named.
struct RedisOptions {
  std::string url = "redis://127.0.0.1:6379";  ///< `redis://[[user]:password@]host[:port][/db]`
  std::string key = "socket.io";               ///< channel prefix: `@socket.io/redis-adapter`'s default `key`
  std::chrono::milliseconds requests_timeout{5000};  ///< cross-server requests: the Node adapter's default
};

/// The link to Redis as a status call reports it.
struct RedisStatus {
  bool connected = false;               ///< the link is up now
  std::uint64_t connects = 0;           ///< successful (re)connections
  std::uint64_t outages = 0;            ///< times the link went down
  std::uint64_t dropped_publishes = 0;  ///< cluster messages not sent while down (local delivery went on)
  std::string last_error;               ///< why it last went down
  std::chrono::system_clock::time_point down_since{};  ///< start of the current outage
};

/// What redis_adapter() returns: the adapter factory for ServerOptions and
/// a way to ask how the link to Redis is doing.
struct RedisAdapter {
  AdapterFactory factory;                ///< for ServerOptions::adapter (keeps the link alive)
  std::function<RedisStatus()> status;   ///< thread-safe
};

/// Starts connecting (in the background, reconnecting with backoff for as
/// long as the factory lives). nullopt with `error` set for a bad URL.
std::optional<RedisAdapter> redis_adapter(const RedisOptions& options, std::string& error);

}  // namespace sio
