// sio::Namespace (include/sio/namespace.hpp): the public face of io::NamespaceCore.
#include <sio/namespace.hpp>

#include <stdexcept>

#include "io/namespace_core.hpp"
#include "io/server_core.hpp"

namespace sio {

const std::string& Namespace::name() const { return core_->name(); }

void Namespace::on_connection(std::function<void(Socket&)> fn) { core_->add_connection_handler(std::move(fn)); }
void Namespace::use(std::function<void(Socket&, Next)> fn) { core_->add_middleware(std::move(fn)); }

BroadcastOperator Namespace::all() const { return BroadcastOperator(*core_, {}); }

void Namespace::server_side_emit_args(std::string_view event, Args args, ServerSideAckCallback cb) const {
  // socket.io's namespace-level reserved names
  if (event == "connect" || event == "connection" || event == "new_namespace")
    throw std::invalid_argument("\"" + std::string(event) + "\" is a reserved event name");
  if (core_->is_parent()) throw std::logic_error("server_side_emit() is not supported on parent namespaces");
  adapter::ServerSideAckFn ack;
  if (cb) {
    ack = [&home = core_->server().home_loop(), cb = std::move(cb)](std::error_code ec,
                                                                     std::vector<Args> replies) mutable {
      home.dispatch([cb = std::move(cb), ec, replies = std::move(replies)]() mutable { cb(ec, std::move(replies)); });
    };
  }
  core_->adapter().server_side_emit(std::string(event), args, std::move(ack));
}

void Namespace::on_server_side_emit(std::string event, std::function<void(const Args&, const Ack&)> fn) {
  core_->add_server_side_handler(std::move(event), std::move(fn));
}

}  // namespace sio
