// --redis redis://host:port: the hook for running several sio-chat processes
// behind a load balancer on the Redis adapter (wire-compatible with Node's
// @socket.io/redis-adapter). sio::redis_adapter (include/sio/redis.hpp) makes
// the factory, but it lives in the sio_net_redis library, which apps do not
// link yet (apps/CMakeLists.txt); once sio-chat links it, this returns
// sio::redis_adapter({.url = url}, error)->factory and main() already puts it
// in ServerOptions::adapter.
//
// What changes then for the chat: broadcasts (messages, presence, typing)
// reach every process through the adapter, but ChatState (nicknames, history,
// rooms) is per process. Sharing it needs either sticky rooms or the state in
// Redis; see PROTOCOL.md's note on clustering.
#pragma once

#include <optional>
#include <string>

#include <sio/adapter.hpp>

namespace chat {

// The adapter for `url`, or nullopt with `error` set.
inline std::optional<sio::AdapterFactory> make_redis_adapter(const std::string& url, std::string& error) {
  error = "the Redis adapter is not available in this build yet (wanted " + url + ")";
  return std::nullopt;
}

}  // namespace chat
