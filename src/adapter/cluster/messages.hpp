// The messages Socket.IO servers exchange through Redis, as
// @socket.io/redis-adapter 8.x (its own protocol, not socket.io-adapter's
// ClusterAdapter) and @socket.io/redis-emitter define them, so that C++ and
// Node servers share one cluster.
//
// Channels (prefix "socket.io", nsp e.g. "/"; see channels.hpp):
// | channel                          | carries                          | encoding |
// |----------------------------------|----------------------------------|----------|
// | <prefix>#<nsp>#                  | broadcast to all / many rooms    | msgpack  |
// | <prefix>#<nsp>#<room>#           | broadcast to exactly one room    | msgpack  |
// | <prefix>-request#<nsp>#          | requests (numsub = server count) | see below|
// | <prefix>-response#<nsp>#         | responses                        | see below|
// | <prefix>-response#<nsp>#<uid>#   | responses, when a node asks so   |          |
//
// Broadcast: msgpack [uid, packet, {rooms, except, flags}], packet
// {type: 2, data: [event, ...args], nsp}; the emitter's uid is "emitter".
//
// Requests (JSON text, except BROADCAST which is msgpack; a payload starting
// with '{' is JSON):
// | type | name              | fields                                              | answered by |
// |------|-------------------|-----------------------------------------------------|-------------|
// | 0    | SOCKETS           | uid, requestId, rooms                               | {requestId, sockets: [id]} |
// | 1    | ALL_ROOMS         | uid, requestId                                      | {requestId, rooms} |
// | 2    | REMOTE_JOIN       | uid?, opts {rooms, except}, rooms (or legacy sid, room, requestId) | nothing (legacy: {requestId}) |
// | 3    | REMOTE_LEAVE      | as REMOTE_JOIN                                      | as REMOTE_JOIN |
// | 4    | REMOTE_DISCONNECT | uid?, opts, close (or legacy sid, close, requestId) | as REMOTE_JOIN |
// | 5    | REMOTE_FETCH      | uid, requestId, opts                                | {requestId, sockets: [{id, handshake, rooms, data}]} |
// | 6    | SERVER_SIDE_EMIT  | uid, data: [event, ...args], requestId if acked     | {type: 6, requestId, data} |
// | 7    | BROADCAST         | uid, requestId, packet, opts (msgpack map)          | {type: 8, requestId, clientCount} (JSON), then per client {type: 9, requestId, packet} (msgpack) |
//
// Responses carry no type for 0..5: the requester knows what it asked.
// Server count = PUBSUB NUMSUB <request channel> (every node subscribes it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "wire/sio_packet.hpp"

namespace sio::adapter::cluster {

enum class RequestType : std::uint8_t {
  sockets = 0,
  all_rooms = 1,
  remote_join = 2,
  remote_leave = 3,
  remote_disconnect = 4,
  remote_fetch = 5,
  server_side_emit = 6,
  broadcast = 7,
  broadcast_client_count = 8,
  broadcast_ack = 9,
};

// Broadcast flags as socket.io's BroadcastOperator sets them; unset flags
// are not written (JavaScript leaves the key out).
struct BroadcastFlags {
  std::optional<bool> compress;
  std::optional<bool> volatile_;
  std::optional<bool> local;
  std::optional<std::uint64_t> timeout;  // ms, broadcasts with acks
};

// Which sockets an operation targets: in any of `rooms` (all when empty)
// and in none of `except`. Sets travel as arrays.
struct Selector {
  std::vector<std::string> rooms;
  std::vector<std::string> except;
};

struct BroadcastOptions {
  Selector selector;  // written flat: {rooms, except, flags}
  BroadcastFlags flags;
};

// The packet a broadcast carries: an EVENT (type 2; 5 is read too), binary
// as attachments (msgpack bin on the wire).
using ClusterPacket = wire::socketio::Event;

// [uid, packet, opts] on the broadcast channels.
struct BroadcastMessage {
  std::string uid;
  ClusterPacket packet;
  BroadcastOptions opts;
  // Written {rooms, flags, except}, as @socket.io/redis-emitter orders its
  // opts, instead of the adapter's {rooms, except, flags} (read either way).
  bool emitter_order = false;
};

// ---- requests ----
struct SocketsRequest {  // 0
  std::string uid, request_id;
  std::vector<std::string> rooms;
};
struct AllRoomsRequest {  // 1
  std::string uid, request_id;
};
// 2, 3: join / leave `rooms` for the selected sockets. The legacy form names
// one socket (sid) and one room and wants an empty answer.
struct RoomsRequest {
  RequestType type = RequestType::remote_join;
  std::string uid;  // empty: from the emitter, which sends none
  std::optional<Selector> opts;
  std::vector<std::string> rooms;
  std::optional<std::string> sid, room, request_id;  // legacy form
};
struct DisconnectRequest {  // 4
  std::string uid;
  std::optional<Selector> opts;
  bool close = false;
  std::optional<std::string> sid, request_id;  // legacy form
};
struct FetchSocketsRequest {  // 5
  std::string uid, request_id;
  Selector opts;
};
struct ServerSideEmitRequest {  // 6
  std::string uid;
  std::optional<std::string> request_id;  // set: the sender waits for acks
  boost::json::array data;                // [event, ...args]
  // Written as Buffer#toJSON objects inside the JSON, as Node does; read
  // back as those objects (empty after decoding).
  wire::socketio::Attachments attachments;
};
struct BroadcastWithAckRequest {  // 7
  std::string uid, request_id;
  ClusterPacket packet;
  BroadcastOptions opts;
};

using Request = std::variant<SocketsRequest, AllRoomsRequest, RoomsRequest, DisconnectRequest, FetchSocketsRequest,
                             ServerSideEmitRequest, BroadcastWithAckRequest>;

// ---- responses ----
// One socket as REMOTE_FETCH answers it.
struct RemoteSocketData {
  std::string id;
  boost::json::object handshake;  // headers, time, address, xdomain, secure, issued, url, query, auth
  std::vector<std::string> rooms;
  boost::json::value data;        // socket.data (null when unset)
};

struct SocketIdsResponse {  // to SOCKETS
  std::string request_id;
  std::vector<std::string> sockets;
};
struct AllRoomsResponse {
  std::string request_id;
  std::vector<std::string> rooms;
};
struct FetchSocketsResponse {
  std::string request_id;
  std::vector<RemoteSocketData> sockets;
};
struct EmptyResponse {  // legacy REMOTE_JOIN / LEAVE / DISCONNECT
  std::string request_id;
};
struct ServerSideEmitResponse {  // type 6
  std::string request_id;
  boost::json::value data;  // the first ack argument (undefined reads as null)
  wire::socketio::Attachments attachments;  // written as Buffer#toJSON objects
};
struct ClientCountResponse {  // type 8
  std::string request_id;
  std::uint64_t client_count = 0;
};
struct BroadcastAckResponse {  // type 9, msgpack
  std::string request_id;
  boost::json::value packet;  // the client's first ack argument
  wire::socketio::Attachments attachments;
};

using Response = std::variant<SocketIdsResponse, AllRoomsResponse, FetchSocketsResponse, EmptyResponse,
                              ServerSideEmitResponse, ClientCountResponse, BroadcastAckResponse>;

}  // namespace sio::adapter::cluster
