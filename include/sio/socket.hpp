// A client's connection to one namespace (socket.io's server-side Socket).
//
//   io.on_connection([&](sio::Socket& socket) {
//     socket.join("lobby");
//     socket.on("chat", [&](sio::Event& ev) { socket.to("lobby").emit("chat", ev.arg(0)); });
//     socket.on_disconnect([](sio::DisconnectReason r) { log(sio::to_string(r)); });
//   });
//
// Threading: a socket lives on one event loop. Its handlers run there, and
// its methods must be called there, except emit(), join(), leave() and
// disconnect(), which may be called from any thread (they are then run on the
// socket's loop, in the order they were called).
// A Socket& stays valid until its disconnect handlers have run; handlers
// that capture it are destroyed with it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include <sio/broadcast.hpp>
#include <sio/config.hpp>
#include <sio/emit.hpp>
#include <sio/event.hpp>
#include <sio/handshake.hpp>
#include <sio/middleware.hpp>
#include <sio/payload.hpp>

namespace sio {

namespace io {
class SocketCore;
}

class Namespace;

/// Why a socket left its namespace (socket.io's disconnect reasons).
enum class DisconnectReason {
  client_namespace_disconnect,  ///< the client sent DISCONNECT (socket.disconnect() there)
  server_namespace_disconnect,  ///< socket.disconnect() here
  transport_close,              ///< the connection was closed by the client or lost
  transport_error,              ///< the connection failed
  ping_timeout,                 ///< the client stopped answering pings
  parse_error,                  ///< the client sent an invalid packet
  server_shutting_down,         ///< the server is closing
  forced_close,                 ///< the connection was closed by the server
  forced_server_close,          ///< the server closed it (e.g. a second CONNECT to a namespace)
};
/// socket.io's text for a reason ("client namespace disconnect", ...).
std::string_view to_string(DisconnectReason r) noexcept;

/// Names one listener added with on(), once(), on_any() or
/// on_any_outgoing(), to remove it with off().
using ListenerId = std::uint64_t;

/// Flags for one emit: socket.timeout(1s).volatile_().emit(...).
struct EmitFlags {
  bool volatile_ = false;  ///< dropped unless the transport can take it now
  bool compress = true;  ///< false: never HTTP-compressed over polling (permessage-deflate is not negotiated)
  std::optional<std::chrono::milliseconds> timeout;  ///< for the ack callback
};

class Socket;

/// An emit to one socket with flags: what Socket::timeout(), volatile_()
/// and compress() return.
class SocketEmitter {
 public:
  /// Internal: made by Socket.
  SocketEmitter(Socket& s, EmitFlags f) : socket_(&s), flags_(f) {}
  /// The ack callback gets errc::sio_ack_timeout after `t` without an answer.
  SocketEmitter& timeout(std::chrono::milliseconds t) {
    flags_.timeout = t;
    return *this;
  }
  /// Dropped unless the transport can take it right now.
  SocketEmitter& volatile_() {
    flags_.volatile_ = true;
    return *this;
  }
  /// false: the packets never make a polling response HTTP-compressed (permessage-deflate is not negotiated).
  SocketEmitter& compress(bool on) {
    flags_.compress = on;
    return *this;
  }
  /// emit(event, args..., [callback(std::error_code, Args)]), as Socket::emit().
  template <class... A>
  void emit(std::string_view event, A&&... a) {
    AckCallback cb;
    Args args = detail::collect<Args>(cb, std::forward<A>(a)...);
    emit_args(event, std::move(args), std::move(cb));
  }
  /// emit() with the arguments as a list (and the callback apart).
  void emit_args(std::string_view event, Args args, AckCallback cb = {});

 private:
  Socket* socket_;
  EmitFlags flags_;
};

/// A client's connection to one namespace (socket.io's server-side Socket).
///
/// It lives on one event loop: its handlers run there, and its methods must
/// be called there, except emit(), join(), leave() and disconnect(), which
/// may be called from any thread. A Socket& stays valid until its disconnect
/// handlers have run.
class Socket {
 public:
  /// Internal: made when a client joins a namespace.
  explicit Socket(io::SocketCore& core) : core_(&core) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  /// Its id (unique, also the name of the room it starts in).
  const std::string& id() const;
  /// The namespace it joined.
  Namespace& nsp() const;
  /// How it connected: headers, query, address, auth.
  const Handshake& handshake() const;
  const HttpRequest& request() const;   ///< the Engine.IO handshake request
  std::string_view transport() const;   ///< "polling" or "websocket" (changes on upgrade)
  /// Joined and not yet disconnected.
  bool connected() const;
  /// Connection state recovery brought back this socket's session (id, rooms,
  /// data(), missed events) after its connection was lost (socket.io's
  /// socket.recovered). False for a new session.
  bool recovered() const;
  /// Anything the application keeps with the socket; fetch_sockets() carries it.
  boost::json::value& data();

  // ---- incoming events ----
  /// Calls `fn` for each `event` the client emits (several per event are fine).
  ListenerId on(std::string event, std::function<void(Event&)> fn);
  /// Calls `fn` for the next `event` only.
  ListenerId once(std::string event, std::function<void(Event&)> fn);
  /// Removes one listener of `event`.
  void off(const std::string& event, ListenerId id);
  void off(const std::string& event);  ///< every listener of `event`
  /// Every incoming event, before middlewares and named listeners.
  ListenerId on_any(std::function<void(Event&)> fn);
  /// Removes one on_any() listener.
  void off_any(ListenerId id);
  /// Every outgoing event of this socket (its own emits and broadcasts it receives).
  ListenerId on_any_outgoing(std::function<void(std::string_view event, const Args& args)> fn);
  /// Removes one on_any_outgoing() listener.
  void off_any_outgoing(ListenerId id);
  /// Before leaving: rooms() is still what it was.
  void on_disconnecting(std::function<void(DisconnectReason)> fn);
  /// After leaving: the socket is gone once these handlers return.
  void on_disconnect(std::function<void(DisconnectReason)> fn);
  /// A socket middleware refused an event.
  void on_error(std::function<void(const Error&)> fn);
  /// Socket middleware: sees every incoming event; next(error) drops it.
  void use(std::function<void(Event&, Next)> fn);

  // ---- emitting to this client ----
  /// emit(event, args..., [callback(std::error_code, Args)]). Without timeout()
  /// the callback waits until the client answers or disconnects (then it gets
  /// errc::sio_not_connected).
  template <class... A>
  void emit(std::string_view event, A&&... a) {
    SocketEmitter(*this, {}).emit(event, std::forward<A>(a)...);
  }
  /// emit() with the arguments as a list (and the callback apart).
  void emit_args(std::string_view event, Args args, AckCallback cb = {}) {
    SocketEmitter(*this, {}).emit_args(event, std::move(args), std::move(cb));
  }
  /// An emit whose ack callback fails with errc::sio_ack_timeout after `t`.
  SocketEmitter timeout(std::chrono::milliseconds t) { return SocketEmitter(*this, {}).timeout(t); }
  /// An emit dropped unless the transport can take it right now.
  SocketEmitter volatile_() { return SocketEmitter(*this, {}).volatile_(); }
  /// false: the packets never make a polling response HTTP-compressed (permessage-deflate is not negotiated).
  SocketEmitter compress(bool on) { return SocketEmitter(*this, {}).compress(on); }

  // ---- rooms (a socket starts in the room named by its id; as in socket.io,
  // leave(id()) takes it out, until it joins that room again) ----
  /// @name Joins rooms (joining a room it is in does nothing).
  ///@{

  /// Joins rooms (joining a room it is in does nothing).
  void join(std::string_view room);
  void join(std::initializer_list<std::string_view> rooms);
  void join(const std::vector<std::string>& rooms);
  ///@}
  /// Leaves a room (leaving a room it is not in does nothing).
  void leave(std::string_view room);
  /// The rooms it is in, its own id's included.
  std::set<std::string> rooms() const;

  // ---- broadcasting to others (every socket of the namespace but this one) ----
  /// Every other socket of the namespace.
  BroadcastOperator broadcast() const;
  /// @name broadcast() and then the BroadcastOperator member of the same name.
  ///@{

  /// broadcast() and then the BroadcastOperator member of the same name.
  BroadcastOperator to(std::string_view room) const { return broadcast().to(room); }
  BroadcastOperator to(std::initializer_list<std::string_view> rooms) const { return broadcast().to(rooms); }
  BroadcastOperator in(std::string_view room) const { return broadcast().to(room); }
  BroadcastOperator except(std::string_view room) const { return broadcast().except(room); }
  ///@}

  /// Leaves the namespace (the client gets DISCONNECT); close: also closes the
  /// client's connection, leaving every namespace.
  void disconnect(bool close = false);

 private:
  friend class SocketEmitter;
  io::SocketCore* core_;
};

}  // namespace sio
