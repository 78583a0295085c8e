// sio::eio::Server: the public Engine.IO server, a thin layer over EngineServer.
#include <sio/engine_io.hpp>

#include "net/engine_server.hpp"

namespace sio::eio {

namespace {

class SocketImpl final : public Socket, public engine::Listener {
 public:
  explicit SocketImpl(engine::ConnectionPtr c) : conn_(std::move(c)) {}
  const std::string& id() const override { return conn_->id(); }
  const HttpRequest& request() const override { return *conn_->request(); }
  std::string_view transport() const override { return conn_->transport_name(); }
  void send(std::string_view data, bool binary) override {
    conn_->send(binary ? engine::OutMessage::binary_data(data) : engine::OutMessage::text(data));
  }
  void close() override { conn_->close(); }
  void on_message(std::function<void(std::string_view, bool)> fn) override { on_message_ = std::move(fn); }
  void on_close(std::function<void(std::string_view)> fn) override { on_close_ = std::move(fn); }

  void on_message(std::string_view data, bool binary) override {
    if (on_message_) on_message_(data, binary);
  }
  void on_close(engine::CloseReason reason, std::string_view) override {
    if (on_close_) on_close_(engine::to_string(reason));
  }

 private:
  engine::ConnectionPtr conn_;
  std::function<void(std::string_view, bool)> on_message_;
  std::function<void(std::string_view)> on_close_;
};

}  // namespace

struct Server::Impl final : engine::Acceptor {
  std::function<void(Socket&)> on_connection;
  std::unique_ptr<net::EngineServer> server;

  std::unique_ptr<engine::Listener> on_open(engine::ConnectionPtr conn) override {
    auto s = std::make_unique<SocketImpl>(std::move(conn));
    if (on_connection) on_connection(*s);
    return s;
  }
};

Server::Server(ServerOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->server = std::make_unique<net::EngineServer>(std::move(opts.engine),
                                                      net::ListenOptions{opts.host, opts.port, opts.threads}, *impl_);
}
Server::~Server() = default;
void Server::on_connection(std::function<void(Socket&)> fn) { impl_->on_connection = std::move(fn); }
std::uint16_t Server::port() const { return impl_->server->port(); }
void Server::run() { impl_->server->run(); }
void Server::stop() { impl_->server->stop(); }
std::error_code Server::reload_tls(std::string* detail) { return impl_->server->reload_tls(detail); }

}  // namespace sio::eio
