// One client's connection to one namespace: its listeners, middlewares,
// pending acknowledgements, and its place in the adapter's rooms (socket.io's
// lib/socket.ts). Lives on its client's loop; owned by the Client while
// connected (and by whoever holds a shared_ptr for a moment after); holds its
// Client, whose map of sockets is emptied when the connection closes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <sio/socket.hpp>

#include "adapter/adapter.hpp"
#include "engine/loop.hpp"
#include "io/listeners.hpp"
#include "io/middleware_chain.hpp"
#include "wire/sio_packet.hpp"

namespace sio::io {

class Client;
class NamespaceCore;

class SocketCore final : public adapter::Member, public std::enable_shared_from_this<SocketCore> {
 public:
  SocketCore(std::shared_ptr<Client> client, NamespaceCore& nsp, std::string id, Handshake handshake);
  ~SocketCore() override;

  Socket& api() { return api_; }
  Client& client() const { return *client_; }
  NamespaceCore& nsp() const { return nsp_; }
  engine::Loop& loop() const { return loop_; }
  std::size_t loop_index() const;
  const Handshake& handshake() const { return handshake_; }
  boost::json::value& data();
  bool connected() const { return connected_; }
  bool recovered() const { return recovered_; }

  // ---- connection state recovery, before on_connect ----
  // A new socket's private id (recovery on).
  void set_pid(std::string pid);
  // Takes over a restored session: its pid, data and rooms (joined on connect).
  void recover(adapter::Session&& s);

  // ---- lifecycle, driven by the Client ----
  // Joins the namespace: into the adapter (its own room), CONNECT {sid} sent.
  void on_connect();
  void on_event(wire::socketio::Event&& e);
  void on_ack(wire::socketio::Ack&& a);
  // Leaves the namespace for `reason` (disconnecting, rooms, disconnect,
  // pending acks fail). Does not write anything. Idempotent.
  void close(DisconnectReason reason);

  // ---- the public Socket's operations ----
  void emit(std::string_view event, Args args, const EmitFlags& flags, AckCallback cb);
  void send_ack(std::uint64_t id, const Args& args);
  void join(const std::vector<std::string>& rooms);
  void leave(const std::string& room);
  std::set<std::string> rooms() const;

  ListenerId on(std::string event, std::function<void(Event&)> fn, bool once);
  void off(const std::string& event, std::optional<ListenerId> id);
  ListenerId on_any(std::function<void(Event&)> fn);
  void off_any(ListenerId id);
  ListenerId on_any_outgoing(std::function<void(std::string_view, const Args&)> fn);
  void off_any_outgoing(ListenerId id);
  void on_disconnecting(std::function<void(DisconnectReason)> fn);
  void on_disconnect(std::function<void(DisconnectReason)> fn);
  void on_error(std::function<void(const Error&)> fn);
  void use(Middleware<Event> fn);

  // ---- adapter::Member ----
  const std::string& id() const override { return id_; }
  void deliver(const adapter::BroadcastPacket& packet, const wire::socketio::Encoded& bytes,
               const BroadcastFlags& flags) override;
  void deliver_with_ack(const adapter::BroadcastPacket& packet, const wire::socketio::Encoded& bytes,
                        const BroadcastFlags& flags, adapter::AckFn on_ack) override;
  SocketInfo info() const override;
  // Also the public disconnect(): any thread.
  void disconnect(bool close_connection) override;

 private:
  struct PendingAck {
    AckCallback cb;
    engine::Loop::TimerId timer = 0;
  };
  // What most sockets never use, allocated on first use: it keeps an idle
  // socket small (memory per connection is a target, issue 6).
  struct Rare {
    ListenerList<std::function<void(Event&)>> any;
    ListenerList<std::function<void(std::string_view, const Args&)>> any_outgoing;
    ListenerList<std::function<void(DisconnectReason)>> disconnecting;
    ListenerList<std::function<void(DisconnectReason)>> disconnect;
    ListenerList<std::function<void(const Error&)>> error;
    std::shared_ptr<std::vector<Middleware<Event>>> middlewares;  // copied on write
    std::unordered_map<std::uint64_t, PendingAck> acks;
  };
  Rare& rare();

  void add_pending_ack(std::uint64_t id, AckCallback cb, std::optional<std::chrono::milliseconds> timeout);
  void ack_timed_out(std::uint64_t id);
  void dispatch_event(const std::shared_ptr<Event>& ev);
  void notify_outgoing(std::string_view event, const Args& args);
  void persist(DisconnectReason reason);

  std::shared_ptr<Client> client_;  // the connection outlives its sockets
  engine::Loop& loop_;
  NamespaceCore& nsp_;
  std::string id_;
  Handshake handshake_;
  std::unique_ptr<boost::json::value> data_;  // null until the application asks for it
  Socket api_;
  std::uint64_t next_listener_id_ = 1;
  ListenerList<std::function<void(Event&)>> listeners_;  // named by event
  std::unique_ptr<Rare> rare_;                           // null until needed
  // What recovery needs, allocated only when it is on (an idle socket stays small).
  struct Recovery {
    std::string pid;                                         // the private session id
    std::shared_ptr<const BroadcastOptions> self;            // its own id room, where its emits go (on first use)
    std::vector<std::string> restored_rooms;                 // a recovered socket's, until it connects
  };
  std::unique_ptr<Recovery> recovery_;  // null when recovery is off
  bool connected_ = false;
  bool recovered_ = false;
};

}  // namespace sio::io
