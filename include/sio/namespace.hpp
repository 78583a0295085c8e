// A namespace: a channel that clients connect to by name ("/", "/admin"),
// each connection getting its own Socket. Many namespaces share one Engine.IO
// connection. Lives as long as the server; thread-safe.
//
//   auto& admin = io.of("/admin");
//   admin.use([](sio::Socket& s, sio::Next next) {
//     if (s.handshake().auth.contains("token")) next(); else next(sio::Error{"not authorized"});
//   });
//   admin.on_connection([](sio::Socket& s) { s.emit("welcome"); });
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sio/ack.hpp>
#include <sio/broadcast.hpp>
#include <sio/emit.hpp>
#include <sio/middleware.hpp>
#include <sio/payload.hpp>

namespace sio {

class Socket;

namespace io {
class NamespaceCore;
}

/// Answers to server_side_emit from the other servers of a cluster.
using ServerSideAckCallback = std::function<void(std::error_code, std::vector<Args>)>;

/// A namespace ("/", "/admin", ...): its sockets, handlers, middlewares and
/// broadcasts (socket.io's Namespace). Made by Server::of(); thread-safe.
class Namespace {
 public:
  /// Internal: made by the server.
  explicit Namespace(io::NamespaceCore& core) : core_(&core) {}
  Namespace(const Namespace&) = delete;
  Namespace& operator=(const Namespace&) = delete;

  /// Its name ("/admin").
  const std::string& name() const;

  /// Handlers and middlewares added here apply to sockets that connect later.
  /// On a parent namespace (Server::of(matcher)) they apply to every child.
  void on_connection(std::function<void(Socket&)> fn);
  /// A middleware: runs for each socket before it joins; next(error)
  /// refuses it (the client gets CONNECT_ERROR).
  void use(std::function<void(Socket&, Next)> fn);

  /// @name Broadcasting: all() and then the BroadcastOperator of the same name.
  ///@{

  /// Broadcasting: all() and then the BroadcastOperator of the same name.
  BroadcastOperator to(std::string_view room) const { return all().to(room); }
  BroadcastOperator to(std::initializer_list<std::string_view> rooms) const { return all().to(rooms); }
  BroadcastOperator to(const std::vector<std::string>& rooms) const { return all().to(rooms); }
  BroadcastOperator in(std::string_view room) const { return all().to(room); }
  BroadcastOperator in(std::initializer_list<std::string_view> rooms) const { return all().to(rooms); }
  BroadcastOperator except(std::string_view room) const { return all().except(room); }
  BroadcastOperator except(std::initializer_list<std::string_view> rooms) const { return all().except(rooms); }
  BroadcastOperator local() const { return all().local(); }
  BroadcastOperator volatile_() const { return all().volatile_(); }
  BroadcastOperator compress(bool on) const { return all().compress(on); }
  BroadcastOperator timeout(std::chrono::milliseconds t) const { return all().timeout(t); }

  template <class... A>
  void emit(std::string_view event, A&&... a) const {
    all().emit(event, std::forward<A>(a)...);
  }
  void emit_args(std::string_view event, Args args, BroadcastAckCallback cb = {}) const {
    all().emit_args(event, std::move(args), std::move(cb));
  }
  void fetch_sockets(FetchSocketsCallback cb) const { all().fetch_sockets(std::move(cb)); }
  void sockets_join(std::string_view room) const { all().sockets_join(room); }
  void sockets_leave(std::string_view room) const { all().sockets_leave(room); }
  void disconnect_sockets(bool close = false) const { all().disconnect_sockets(close); }
  ///@}

  // ---- the other servers of a cluster (nothing to reach with one server) ----
  /// server_side_emit(event, args..., [callback(std::error_code, std::vector<Args>)]).
  template <class... A>
  void server_side_emit(std::string_view event, A&&... a) const {
    ServerSideAckCallback cb;
    Args args = detail::collect<std::vector<Args>>(cb, std::forward<A>(a)...);
    server_side_emit_args(event, std::move(args), std::move(cb));
  }
  /// server_side_emit() with the arguments as a list (and the callback apart).
  void server_side_emit_args(std::string_view event, Args args, ServerSideAckCallback cb = {}) const;
  /// Another server's server_side_emit; `ack` answers it when it asked.
  void on_server_side_emit(std::string event, std::function<void(const Args&, const Ack& ack)> fn);

  /// Every socket of the namespace.
  BroadcastOperator all() const;

 private:
  io::NamespaceCore* core_;
};

}  // namespace sio
