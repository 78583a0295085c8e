// Broadcasting (socket.io's BroadcastOperator): pick sockets of a namespace by
// room, then emit to them or act on them. Each call returns a new operator, so
// a chain never changes the one it started from. Thread-safe: it reaches the
// sockets on every event loop (and, with a cluster adapter, every server).
//
//   io.to("lobby").except(socket.id()).emit("chat", text);
//   io.to({"a", "b"}).emit("news", 1);                 // a socket in both gets it once
//   io.timeout(2s).emit("ping", [](std::error_code ec, std::vector<sio::Args> replies) {});
//   io.in("lobby").fetch_sockets([](std::error_code ec, std::vector<sio::RemoteSocket> s) {});
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/emit.hpp>
#include <sio/remote_socket.hpp>

namespace sio {

namespace io {
class NamespaceCore;
}

/// What fetch_sockets() calls with the matching sockets (or an error, e.g.
/// a cluster that did not answer in time).
using FetchSocketsCallback = std::function<void(std::error_code, std::vector<RemoteSocket>)>;

/// Selects sockets of a namespace (rooms, exceptions, flags) and acts on
/// them all: socket.io's BroadcastOperator. Each call returns a new operator;
/// the original is unchanged.
///
/// @code
/// io.to("lobby").except("muted").timeout(2s).emit("poll", [](std::error_code ec, std::vector<sio::Args> answers) {});
/// @endcode
class BroadcastOperator {
 public:
  /// Internal: made by Namespace, Server and Socket.
  BroadcastOperator(io::NamespaceCore& nsp, BroadcastOptions opts) : nsp_(&nsp), opts_(std::move(opts)) {}

  /// @name Sockets in any of these rooms (each socket once); in() is to().
  ///@{

  /// Sockets in any of these rooms (each socket once); in() is to().
  BroadcastOperator to(std::string_view room) const;
  BroadcastOperator to(std::initializer_list<std::string_view> rooms) const;
  BroadcastOperator to(const std::vector<std::string>& rooms) const;
  BroadcastOperator in(std::string_view room) const { return to(room); }
  BroadcastOperator in(std::initializer_list<std::string_view> rooms) const { return to(rooms); }
  BroadcastOperator in(const std::vector<std::string>& rooms) const { return to(rooms); }
  ///@}
  /// @name ... but not those in any of these rooms.
  ///@{

  /// ... but not those in any of these rooms.
  BroadcastOperator except(std::string_view room) const;
  BroadcastOperator except(std::initializer_list<std::string_view> rooms) const;
  BroadcastOperator except(const std::vector<std::string>& rooms) const;
  ///@}
  /// This server only (a cluster adapter does not forward it).
  BroadcastOperator local() const;
  /// Dropped for clients whose transport cannot take it right now.
  BroadcastOperator volatile_() const;
  /// false: the packets never make a polling response HTTP-compressed (permessage-deflate is not negotiated).
  BroadcastOperator compress(bool on) const;
  /// How long an emit with a callback waits for every client's ack.
  BroadcastOperator timeout(std::chrono::milliseconds t) const;

  /// emit(event, args..., [callback(std::error_code, std::vector<Args>)]).
  /// Without timeout(), a callback waits kDefaultBroadcastAckTimeout.
  template <class... A>
  void emit(std::string_view event, A&&... a) const {
    BroadcastAckCallback cb;
    Args args = detail::collect<std::vector<Args>>(cb, std::forward<A>(a)...);
    emit_args(event, std::move(args), std::move(cb));
  }
  /// emit() with the arguments as a list (and the callback apart).
  void emit_args(std::string_view event, Args args, BroadcastAckCallback cb = {}) const;

  /// The matching sockets, wherever they are (the callback runs on the
  /// caller's loop, or on the first loop when called from elsewhere).
  void fetch_sockets(FetchSocketsCallback cb) const;
  /// @name The matching sockets join these rooms, wherever they are.
  ///@{

  /// The matching sockets join these rooms, wherever they are.
  void sockets_join(std::string_view room) const { sockets_join(std::vector<std::string>{std::string(room)}); }
  void sockets_join(std::vector<std::string> rooms) const;
  ///@}
  /// @name The matching sockets leave these rooms, wherever they are.
  ///@{

  /// The matching sockets leave these rooms, wherever they are.
  void sockets_leave(std::string_view room) const { sockets_leave(std::vector<std::string>{std::string(room)}); }
  void sockets_leave(std::vector<std::string> rooms) const;
  ///@}
  /// close: also close the clients' connections (every namespace).
  void disconnect_sockets(bool close = false) const;

  /// The rooms, exceptions and flags chosen so far.
  const BroadcastOptions& options() const noexcept { return opts_; }

  /// socket.io requires timeout() for acks to a broadcast (without it the
  /// callback fails at once); here the callback waits this long instead.
  static constexpr std::chrono::milliseconds kDefaultBroadcastAckTimeout{10000};

 private:
  io::NamespaceCore* nsp_;
  BroadcastOptions opts_;
};

}  // namespace sio
