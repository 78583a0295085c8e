// sio::Socket and sio::SocketEmitter (include/sio/socket.hpp): the public face
// of io::SocketCore.
#include <sio/namespace.hpp>
#include <sio/socket.hpp>

#include "io/client.hpp"
#include "io/namespace_core.hpp"
#include "io/socket_core.hpp"

namespace sio {

std::string_view to_string(DisconnectReason r) noexcept {
  switch (r) {
    case DisconnectReason::client_namespace_disconnect: return "client namespace disconnect";
    case DisconnectReason::server_namespace_disconnect: return "server namespace disconnect";
    case DisconnectReason::transport_close: return "transport close";
    case DisconnectReason::transport_error: return "transport error";
    case DisconnectReason::ping_timeout: return "ping timeout";
    case DisconnectReason::parse_error: return "parse error";
    case DisconnectReason::server_shutting_down: return "server shutting down";
    case DisconnectReason::forced_close: return "forced close";
    case DisconnectReason::forced_server_close: return "forced server close";
  }
  return "unknown";
}

void SocketEmitter::emit_args(std::string_view event, Args args, AckCallback cb) {
  socket_->core_->emit(event, std::move(args), flags_, std::move(cb));
}

const std::string& Socket::id() const { return core_->id(); }
Namespace& Socket::nsp() const { return core_->nsp().api(); }
const Handshake& Socket::handshake() const { return core_->handshake(); }
const HttpRequest& Socket::request() const { return *core_->client().conn().request(); }
std::string_view Socket::transport() const { return core_->client().conn().transport_name(); }
bool Socket::connected() const { return core_->connected(); }
bool Socket::recovered() const { return core_->recovered(); }
boost::json::value& Socket::data() { return core_->data(); }

ListenerId Socket::on(std::string event, std::function<void(Event&)> fn) {
  return core_->on(std::move(event), std::move(fn), false);
}
ListenerId Socket::once(std::string event, std::function<void(Event&)> fn) {
  return core_->on(std::move(event), std::move(fn), true);
}
void Socket::off(const std::string& event, ListenerId id) { core_->off(event, id); }
void Socket::off(const std::string& event) { core_->off(event, std::nullopt); }
ListenerId Socket::on_any(std::function<void(Event&)> fn) { return core_->on_any(std::move(fn)); }
void Socket::off_any(ListenerId id) { core_->off_any(id); }
ListenerId Socket::on_any_outgoing(std::function<void(std::string_view, const Args&)> fn) {
  return core_->on_any_outgoing(std::move(fn));
}
void Socket::off_any_outgoing(ListenerId id) { core_->off_any_outgoing(id); }
void Socket::on_disconnecting(std::function<void(DisconnectReason)> fn) { core_->on_disconnecting(std::move(fn)); }
void Socket::on_disconnect(std::function<void(DisconnectReason)> fn) { core_->on_disconnect(std::move(fn)); }
void Socket::on_error(std::function<void(const Error&)> fn) { core_->on_error(std::move(fn)); }
void Socket::use(std::function<void(Event&, Next)> fn) { core_->use(std::move(fn)); }

void Socket::join(std::string_view room) { core_->join({std::string(room)}); }
void Socket::join(std::initializer_list<std::string_view> rooms) {
  core_->join(std::vector<std::string>(rooms.begin(), rooms.end()));
}
void Socket::join(const std::vector<std::string>& rooms) { core_->join(rooms); }
void Socket::leave(std::string_view room) { core_->leave(std::string(room)); }
std::set<std::string> Socket::rooms() const { return core_->rooms(); }

BroadcastOperator Socket::broadcast() const {
  BroadcastOptions opts;
  opts.except.insert(core_->id());
  return BroadcastOperator(core_->nsp(), std::move(opts));
}

void Socket::disconnect(bool close) { core_->disconnect(close); }

}  // namespace sio
