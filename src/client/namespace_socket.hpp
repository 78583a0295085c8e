// One namespace of a client connection (socket.io-client's Socket): joins
// with a CONNECT (and the auth payload), rejoins after every reconnection,
// sends events (buffered while disconnected, dropped when volatile and the
// transport is busy), matches acknowledgements both ways, times acks out.
//
// Connection state recovery, as socket.io-client: the pid of the server's
// CONNECT answer and the last string argument of each event handed over (the
// server's offset, when it recovers) go back in the next CONNECT's auth
// ({pid, offset}, the user's auth keys win); recovered() tells whether the
// server brought the session back. Events received before a CONNECT answer
// (the server's replay) are dropped if the connection goes first: the server
// replays them again from the same offset, so none is doubled.
//
// Loop thread only; the public sio::ClientSocket posts here from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <system_error>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <sio/payload.hpp>

#include "engine/loop.hpp"
#include "wire/sio_packet.hpp"

namespace sio::client {

class Manager;

// Called with the acknowledgement's arguments, or an error: errc::sio_ack_timeout,
// errc::sio_not_connected (the connection dropped before the answer).
using AckCallback = std::function<void(std::error_code, Args)>;

// What a namespace socket tells the layer above (the user's handlers).
class SocketObserver {
 public:
  virtual ~SocketObserver() = default;
  virtual void on_connect() = 0;
  // The server refused the namespace (middleware error: message + data), or
  // the connection could not be made (message only).
  virtual void on_connect_error(const std::string& message, const boost::json::value& data) = 0;
  // reason: "io server disconnect", "io client disconnect", "transport close",
  // "transport error", "ping timeout", "parse error", "forced close".
  virtual void on_disconnect(const std::string& reason, const std::string& description) = 0;
  // An event; `ack_id` set when the server waits for an answer (send_ack).
  virtual void on_event(const std::string& name, Args args, std::optional<std::uint64_t> ack_id) = 0;
};

struct NamespaceOptions {
  std::optional<boost::json::object> auth;   // sent with every CONNECT
  std::size_t max_buffered = 1000;           // offline buffer cap (emits while disconnected)
  std::optional<std::chrono::milliseconds> ack_timeout;  // default for acks; unset: wait forever
};

struct EmitOptions {
  bool is_volatile = false;  // dropped unless it can be written at once
  std::optional<std::chrono::milliseconds> timeout;  // ack timeout; unset: the socket's default
};

// An event ready to send: encoded once (on the caller's thread).
struct OutgoingEvent {
  wire::socketio::Encoded packet;
  std::optional<std::uint64_t> ack_id;
  AckCallback ack;
  EmitOptions options;
};

class NamespaceSocket {
 public:
  NamespaceSocket(Manager& manager, engine::Loop& loop, std::string nsp, NamespaceOptions opts);
  ~NamespaceSocket();
  NamespaceSocket(const NamespaceSocket&) = delete;
  NamespaceSocket& operator=(const NamespaceSocket&) = delete;

  void set_observer(SocketObserver* o) noexcept { observer_ = o; }
  const std::string& nsp() const noexcept { return nsp_; }
  const std::string& id() const noexcept { return id_; }  // empty unless connected
  bool connected() const noexcept { return connected_; }
  bool active() const noexcept { return active_; }       // wants to be connected
  bool recovered() const noexcept { return recovered_; }  // the last CONNECT restored the session
  const std::string& pid() const noexcept { return pid_; }                       // empty: no recovery
  const std::optional<std::string>& last_offset() const noexcept { return last_offset_; }
  std::size_t buffered() const noexcept { return send_buffer_.size(); }
  NamespaceOptions& options() noexcept { return opts_; }

  // Ack ids for emits; thread-safe (the event is encoded on the caller's thread).
  std::uint64_t allocate_ack_id() noexcept { return next_ack_id_.fetch_add(1, std::memory_order_relaxed); }

  void connect();
  void disconnect();
  // The end: leaves (as disconnect()), drops the offline buffer and fails
  // every pending ack with `ec`.
  void shutdown(std::error_code ec);
  // Sends, buffers or drops the event. errc::sio_buffer_full when it would
  // have to be buffered and the buffer is full (the ack is then never called).
  std::error_code emit(OutgoingEvent&& ev);  // `ev` is left untouched on error
  // Answers the server's event `id`.
  void send_ack(std::uint64_t id, const Args& args);

  // --- from the manager ---
  void on_manager_open();
  void on_manager_error(const std::string& message);
  void on_manager_close(const std::string& reason, const std::string& description);
  void on_packet(wire::socketio::Packet&& p);

 private:
  struct PendingAck {
    AckCallback cb;
    engine::Loop::TimerId timer = 0;
  };

  void send_connect();
  void on_connect(std::string sid, std::string pid);
  void on_event(wire::socketio::Event&& e);
  void on_ack(wire::socketio::Ack&& a);
  void send(const wire::socketio::Encoded& e);
  void register_ack(std::uint64_t id, AckCallback cb, std::optional<std::chrono::milliseconds> timeout);
  void fail_ack(std::uint64_t id, std::error_code ec);
  void clear_acks();
  void deactivate();

  Manager& manager_;
  engine::Loop& loop_;
  std::string nsp_;
  NamespaceOptions opts_;
  SocketObserver* observer_ = nullptr;
  std::string id_;
  std::string pid_;                          // the server's private session id (recovery)
  std::optional<std::string> last_offset_;   // of the last event handed over, while pid_ is set
  bool recovered_ = false;
  bool connected_ = false;
  bool active_ = false;
  std::deque<OutgoingEvent> send_buffer_;          // emitted while disconnected
  std::deque<wire::socketio::Event> receive_buffer_;  // events before the CONNECT answer
  std::map<std::uint64_t, PendingAck> acks_;
  std::atomic<std::uint64_t> next_ack_id_{0};
};

}  // namespace sio::client
