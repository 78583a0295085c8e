// What sio::Emitter publishes, as @socket.io/redis-emitter 5.x writes it:
// channel and payload for each call, without any I/O (net/redis/emitter.cpp
// sends them). Its uid is "emitter"; join, leave and disconnect requests
// carry no uid; server_side_emit has no acknowledgements.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/payload.hpp>

namespace sio::adapter::redis {

struct Publication {
  std::string channel;
  std::string payload;
};

// An EVENT to the sockets `o` picks in `nsp`: msgpack [uid, packet, opts] on
// the namespace's channel, or the room's when there is exactly one room.
// Throws std::invalid_argument for a reserved event name.
Publication emitter_event(std::string_view key, std::string_view nsp, const BroadcastOptions& o, std::string_view event,
                          Args args);
// REMOTE_JOIN (join = true) or REMOTE_LEAVE of `rooms` by the sockets `o` picks.
Publication emitter_rooms(std::string_view key, std::string_view nsp, const BroadcastOptions& o, bool join,
                          std::vector<std::string> rooms);
// REMOTE_DISCONNECT of the sockets `o` picks.
Publication emitter_disconnect(std::string_view key, std::string_view nsp, const BroadcastOptions& o, bool close);
// SERVER_SIDE_EMIT of [event, ...args] to the servers of `nsp`.
Publication emitter_server_side(std::string_view key, std::string_view nsp, std::string_view event, Args args);

}  // namespace sio::adapter::redis
