// --redis redis://host:port: sio-chat as one node of a cluster on the Redis
// adapter (wire-compatible with Node's @socket.io/redis-adapter).
//
// What is shared then: broadcasts (messages, presence, typing) reach every
// process through the adapter. ChatState (nicknames, history, rooms) stays
// per process; sharing it needs sticky rooms or the state in Redis (see
// PROTOCOL.md's note on clustering).
#pragma once

#include <optional>
#include <string>

#include <sio/adapter.hpp>
#include <sio/redis.hpp>

namespace chat {

// The adapter for `url`, or nullopt with `error` set.
inline std::optional<sio::AdapterFactory> make_redis_adapter(const std::string& url, std::string& error) {
  auto r = sio::redis_adapter({.url = url}, error);
  if (!r) return std::nullopt;
  return r->factory;
}

}  // namespace chat
