// sio::Server (include/sio/server.hpp): the Socket.IO layer (io::ServerCore,
// the engine's acceptor) on the network layer (net::EngineServer and its
// loops). The only place where the two meet.
#include <sio/server.hpp>

#include <thread>

#include "io/namespace_core.hpp"
#include "io/server_core.hpp"
#include "net/engine_server.hpp"

namespace sio {

namespace {
io::Config io_config(const ServerOptions& o) {
  io::Config c;
  c.connect_timeout = o.connect_timeout;
  c.max_attachments = o.max_attachments;
  c.max_dynamic_namespaces = o.max_dynamic_namespaces;
  c.adapter = o.adapter;
  c.recovery = o.connection_state_recovery;
  return c;
}
}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o) : opts(std::move(o)), core(io_config(opts)) {
    net::ListenOptions listen;
    listen.host = opts.host;
    listen.port = opts.port;
    listen.threads = opts.threads;
    engine = std::make_unique<net::EngineServer>(opts.engine, listen, core);
    core.set_inbound_budget(&engine->inbound_budget());  // attachments count against it too
    std::vector<engine::Loop*> loops;
    for (std::size_t i = 0; i < engine->loop_count(); ++i) loops.push_back(&engine->loop(i));
    core.set_loops(std::move(loops));
  }

  ServerOptions opts;
  io::ServerCore core;  // outlives the engine, whose sessions hold its clients
  std::unique_ptr<net::EngineServer> engine;
  std::thread background;
};

Server::Server(ServerOptions opts) : impl_(std::make_unique<Impl>(std::move(opts))) {}

Server::~Server() {
  if (impl_->background.joinable()) {
    stop();
    impl_->background.join();
  }
}

std::uint16_t Server::port() const { return impl_->engine->port(); }
std::size_t Server::loop_count() const { return impl_->engine->loop_count(); }

Namespace& Server::of(std::string_view name) { return impl_->core.of(name).api(); }
Namespace& Server::of(NamespaceMatcher match) { return impl_->core.add_parent(std::move(match)).api(); }
Namespace& Server::sockets() { return impl_->core.of("/").api(); }

void Server::on_http(HttpHandler handler) { impl_->engine->set_http_handler(std::move(handler)); }

void Server::run() { impl_->engine->run(); }

void Server::start() {
  if (impl_->background.joinable()) return;
  impl_->background = std::thread([this] { impl_->engine->run(); });
}

void Server::stop() { impl_->engine->stop(); }
std::error_code Server::reload_tls(std::string* detail) { return impl_->engine->reload_tls(detail); }

}  // namespace sio
