// The adapter interface: rooms -> sockets for one namespace, and the
// operations that reach sockets by room (broadcast, fetch, join, leave,
// disconnect), on every event loop of this server and, for a cluster adapter,
// on every server of the cluster.
//
// An adapter never sees the server, namespaces or transports (principle 5):
// a socket of this server is a Member, the loops are engine::Loop, and
// packets are a plain BroadcastPacket plus its encoding.
//
// Threading: membership calls (add/remove/join/leave/rooms_of) happen on the
// socket's loop, and touch only that loop's shard of the rooms. Operations
// that may cross loops or nodes are asynchronous and thread-safe; their
// callbacks may run on any loop (the caller hops back to its own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/payload.hpp>

#include "engine/loop.hpp"
#include "wire/sio_packet.hpp"

namespace sio::adapter {

using Room = std::string;
using SocketId = std::string;

// The logical packet of a broadcast (socket.io's {type: EVENT, nsp, data, id}):
// what a cluster adapter serialises for other nodes.
struct BroadcastPacket {
  std::string nsp;
  std::string event;
  Args args;
  std::optional<std::uint64_t> id;  // set for a broadcast that expects acks
};

// A client's answer to a broadcast with acks.
using AckFn = std::function<void(Args reply)>;

// A socket of this server as the adapter sees it. Called on its loop only.
class Member {
 public:
  virtual ~Member() = default;
  // The same string for as long as the member is in the adapter (shards
  // index members by a view of it).
  virtual const SocketId& id() const = 0;
  // Sends an encoded broadcast (volatile: dropped unless the transport is
  // writable), after telling the socket's outgoing listeners.
  virtual void deliver(const BroadcastPacket& packet, const wire::socketio::Encoded& bytes,
                       const BroadcastFlags& flags) = 0;
  // Same for a packet with an ack id: the client's ACK with packet.id goes to
  // `on_ack` (at most once; forgotten after flags.timeout).
  virtual void deliver_with_ack(const BroadcastPacket& packet, const wire::socketio::Encoded& bytes,
                                const BroadcastFlags& flags, AckFn on_ack) = 0;
  virtual SocketInfo info() const = 0;
  virtual void disconnect(bool close_connection) = 0;
};

// What a namespace gives its adapter.
struct Context {
  std::string nsp;
  std::vector<engine::Loop*> loops;  // this server's loops; shard i is loops[i]'s
  // Another node's server_side_emit (cluster adapters call it; `ack` may be null).
  std::function<void(const std::string& event, const Args& args, AckFn ack)> on_server_side_emit;
};

using CountFn = std::function<void(std::size_t)>;
using FetchFn = std::function<void(std::error_code, std::vector<SocketInfo>)>;
using ServerSideAckFn = std::function<void(std::error_code, std::vector<Args> replies)>;

class Adapter {
 public:
  virtual ~Adapter() = default;

  // ---- this server's sockets, on the socket's loop `loop` ----
  // A socket joined the namespace: it is in its own id room from now on
  // (until it leaves that room; joining it again puts it back).
  virtual void add(std::size_t loop, Member& m) = 0;
  // It left: out of every room.
  virtual void remove(std::size_t loop, const SocketId& id) = 0;
  virtual void join(std::size_t loop, const SocketId& id, const std::vector<Room>& rooms) = 0;
  virtual void leave(std::size_t loop, const SocketId& id, const Room& room) = 0;
  virtual std::set<Room> rooms_of(std::size_t loop, const SocketId& id) const = 0;

  // ---- every socket of the namespace, anywhere; thread-safe ----
  virtual void broadcast(BroadcastPacket packet, const BroadcastOptions& opts) = 0;
  // packet.id must be set. `on_client_count` is called once per server with
  // the number of clients that got the packet; `on_ack` once per answer.
  virtual void broadcast_with_ack(BroadcastPacket packet, const BroadcastOptions& opts, CountFn on_client_count,
                                  AckFn on_ack) = 0;
  virtual void fetch_sockets(const BroadcastOptions& opts, FetchFn done) = 0;
  virtual void add_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) = 0;
  virtual void del_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) = 0;
  virtual void disconnect_sockets(const BroadcastOptions& opts, bool close_connection) = 0;
  // To the other servers' namespaces (not this one). With `ack`: their replies.
  virtual void server_side_emit(const std::string& event, const Args& args, ServerSideAckFn ack) = 0;
  virtual void server_count(CountFn done) = 0;

  virtual void close() {}
};

}  // namespace sio::adapter
