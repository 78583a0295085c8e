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

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/payload.hpp>
#include <sio/recovery.hpp>

#include <boost/json/value.hpp>

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

// What a socket leaves behind when its connection is lost and recovery is on
// (socket.io's Session): restored for the client that comes back with `pid`.
struct Session {
  SocketId sid;
  std::string pid;          // the private id the client sends back (never shown to others)
  std::vector<Room> rooms;  // its own id room included
  boost::json::value data;  // the socket's data()
};

// A session found again, with the packets it missed, in order (each already
// encoded for its namespace, ending with its offset).
struct RestoredSession {
  Session session;
  std::vector<std::shared_ptr<const wire::socketio::Encoded>> missed;
};
using RestoreFn = std::function<void(std::optional<RestoredSession>)>;

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
  // Connection state recovery: on when recovery.enabled (the in-memory
  // adapter then keeps sessions and packets).
  ConnectionStateRecoveryOptions recovery;
  // The recovery store's clock; null: std::chrono::steady_clock (tests set it).
  std::function<std::chrono::steady_clock::time_point()> clock;
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

  // ---- connection state recovery (socket.io's SessionAwareAdapter) ----
  // An adapter that recovers stores every EVENT broadcast without an ack and
  // not volatile, its offset appended as the last argument. These defaults
  // recover nothing.
  virtual bool recovers() const { return false; }
  // A socket's connection was lost for a reason socket.io keeps.
  virtual void persist_session(Session) {}
  // The session `pid`, if it can be recovered from `offset` (its client's last
  // one); `done` once, on any thread.
  virtual void restore_session(const std::string& pid, const std::string& offset, RestoreFn done) {
    (void)pid;
    (void)offset;
    done(std::nullopt);
  }
  // socket.emit() while recovering (no ack, not volatile): the packet goes
  // through the adapter to be stored (socket.io broadcasts it to the socket's
  // own room). `self` selects that socket (its own id room, shared by its
  // emits); `loop` is the socket's, the caller's thread.
  virtual void emit_to(std::size_t loop, const std::shared_ptr<const BroadcastOptions>& self, BroadcastPacket packet) {
    (void)loop;
    broadcast(std::move(packet), *self);
  }

  virtual void close() {}
};

}  // namespace sio::adapter
