// A socket as fetch_sockets() returns it: a snapshot of its id, handshake,
// rooms and data, and the operations that reach it wherever it lives (on
// another loop of this server, or another server of the cluster).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/emit.hpp>
#include <sio/handshake.hpp>

namespace sio {

namespace io {
class NamespaceCore;
}

/// A socket as fetch_sockets() found it, on this server or another one of
/// the cluster (socket.io's RemoteSocket): what it was at the time of the
/// fetch, and a way to act on it wherever it is now.
class RemoteSocket {
 public:
  /// Internal: made by fetch_sockets().
  RemoteSocket(io::NamespaceCore& nsp, SocketInfo info) : nsp_(&nsp), info_(std::move(info)) {}

  const std::string& id() const noexcept { return info_.id; }                  ///< the socket's id
  const Handshake& handshake() const noexcept { return info_.handshake; }      ///< how it connected
  const std::set<std::string>& rooms() const noexcept { return info_.rooms; }  ///< its rooms then
  const boost::json::value& data() const noexcept { return info_.data; }       ///< its data() then

  /// emit(event, args..., [callback(std::error_code, Args)]); with a callback,
  /// it waits `ack_timeout` for the answer.
  template <class... A>
  void emit(std::string_view event, A&&... a) const {
    AckCallback cb;
    Args args = detail::collect<Args>(cb, std::forward<A>(a)...);
    emit_args(event, std::move(args), std::move(cb));
  }
  /// emit() with the arguments as a list (and the callback apart).
  void emit_args(std::string_view event, Args args, AckCallback cb = {}) const;
  /// How long an emit with a callback waits (default 10 s).
  RemoteSocket& timeout(std::chrono::milliseconds t) {
    ack_timeout_ = t;
    return *this;
  }
  /// Makes the socket join `room`, wherever it is.
  void join(std::string_view room) const;
  /// Makes the socket leave `room`, wherever it is.
  void leave(std::string_view room) const;
  /// Disconnects it from the namespace; close: also closes its connection.
  void disconnect(bool close = false) const;

 private:
  io::NamespaceCore* nsp_;
  SocketInfo info_;
  std::chrono::milliseconds ack_timeout_{10000};  // as BroadcastOperator's default
};

}  // namespace sio
