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

class RemoteSocket {
 public:
  RemoteSocket(io::NamespaceCore& nsp, SocketInfo info) : nsp_(&nsp), info_(std::move(info)) {}

  const std::string& id() const noexcept { return info_.id; }
  const Handshake& handshake() const noexcept { return info_.handshake; }
  const std::set<std::string>& rooms() const noexcept { return info_.rooms; }
  const boost::json::value& data() const noexcept { return info_.data; }

  // emit(event, args..., [callback(std::error_code, Args)]); with a callback,
  // it waits `ack_timeout` for the answer.
  template <class... A>
  void emit(std::string_view event, A&&... a) const {
    AckCallback cb;
    Args args = detail::collect<Args>(cb, std::forward<A>(a)...);
    emit_args(event, std::move(args), std::move(cb));
  }
  void emit_args(std::string_view event, Args args, AckCallback cb = {}) const;
  RemoteSocket& timeout(std::chrono::milliseconds t) {
    ack_timeout_ = t;
    return *this;
  }
  void join(std::string_view room) const;
  void leave(std::string_view room) const;
  void disconnect(bool close = false) const;

 private:
  io::NamespaceCore* nsp_;
  SocketInfo info_;
  std::chrono::milliseconds ack_timeout_{10000};  // as BroadcastOperator's default
};

}  // namespace sio
