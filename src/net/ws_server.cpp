// sio::ws::Server: plain WebSocket connections at any path. An accepted
// socket reads one HTTP request (Beast's parser), answers the upgrade with our
// own 101, and becomes a WsConnection.
#include <sio/websocket.hpp>

#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/http_read.hpp"
#include "net/http_util.hpp"
#include "net/listener.hpp"
#include "net/loop.hpp"
#include "net/ws_connection.hpp"

namespace sio::ws {

namespace asio = boost::asio;
using boost::asio::ip::tcp;
namespace http = boost::beast::http;

namespace {

class ConnectionImpl final : public Connection, public net::WsConnection::Handler {
 public:
  ConnectionImpl(std::shared_ptr<net::WsConnection> ws, HttpRequest req) : ws_(std::move(ws)), req_(std::move(req)) {}
  const HttpRequest& request() const override { return req_; }
  void send(std::string_view data, bool binary) override { ws_->send(wire::SharedBytes::copy_of(data), binary); }
  void close(std::uint16_t code, std::string_view reason) override { ws_->close(code, reason); }
  void on_message(std::function<void(std::string_view, bool)> fn) override { on_message_ = std::move(fn); }
  void on_close(std::function<void(std::uint16_t)> fn) override { on_close_ = std::move(fn); }

  void on_ws_message(std::string_view data, bool binary) override {
    if (on_message_) on_message_(data, binary);
  }
  void on_ws_closed(std::uint16_t code, std::error_code) override {
    auto self = std::move(self_);  // the last reference: released on return
    if (on_close_) on_close_(code);
  }

  std::shared_ptr<ConnectionImpl> self_;  // alive while the socket is

 private:
  std::shared_ptr<net::WsConnection> ws_;
  HttpRequest req_;
  std::function<void(std::string_view, bool)> on_message_;
  std::function<void(std::uint16_t)> on_close_;
};

struct Upgrade : std::enable_shared_from_this<Upgrade> {
  Upgrade(net::AsioLoop& l, tcp::socket s, const ServerOptions& o, const std::function<void(Connection&)>& cb)
      : loop(l), socket(std::move(s)), opts(o), on_connection(cb) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);  // small frames go out at once
  }

  void start() {
    parser.body_limit(0);
    net::async_read_request_header(socket, buffer, parser, {16 * 1024, opts.max_header_fields},
                                   [self = shared_from_this()](boost::system::error_code ec) { self->on_request(ec); });
  }

  void on_request(boost::system::error_code ec) {
    // Past the header limits, a framing RFC 9112 forbids, or a body (an upgrade has none): refused, closed.
    if (!ec && !parser.is_done()) ec = make_error_code(errc::http_bad_request);
    if (ec) return net::refuse_request(socket, ec);
    boost::system::error_code e2;
    auto ep = socket.remote_endpoint(e2);
    std::string res = net::websocket_handshake_response(parser.get(), {});
    if (res.empty()) {
      const std::string bad = net::render_response(400, {{"Content-Type", "text/plain"}}, "Bad WebSocket handshake", false);
      asio::write(socket, asio::buffer(bad), e2);
      socket.close(e2);
      return;
    }
    HttpRequest req = net::make_request(parser.get(), e2 ? "" : ep.address().to_string(), false);
    auto d = buffer.data();
    std::string_view leftover(static_cast<const char*>(d.data()), d.size());
    auto ws = std::make_shared<net::WsConnection>(loop, std::move(socket),
                                                  net::WsConnection::Limits{opts.max_message_size, opts.max_buffered_bytes});
    auto conn = std::make_shared<ConnectionImpl>(ws, std::move(req));
    conn->self_ = conn;
    if (on_connection) on_connection(*conn);
    ws->start(conn.get(), leftover, wire::SharedBytes::copy_of(res));
  }

  net::AsioLoop& loop;
  tcp::socket socket;
  const ServerOptions& opts;
  const std::function<void(Connection&)>& on_connection;
  boost::beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
};

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  std::function<void(Connection&)> on_connection;
  std::vector<std::unique_ptr<net::AsioLoop>> loops;
  std::unique_ptr<net::Listeners> listeners;
};

Server::Server(ServerOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->opts.threads); ++i)
    impl_->loops.push_back(std::make_unique<net::AsioLoop>(i));
  impl_->listeners = std::make_unique<net::Listeners>(impl_->loops, impl_->opts.host, impl_->opts.port);
}

Server::~Server() = default;
void Server::on_connection(std::function<void(Connection&)> fn) { impl_->on_connection = std::move(fn); }
std::uint16_t Server::port() const { return impl_->listeners->port(); }

void Server::run() {
  impl_->listeners->start([this](std::size_t i, tcp::socket s, const tcp::endpoint&) {
    std::make_shared<Upgrade>(*impl_->loops[i], std::move(s), impl_->opts, impl_->on_connection)->start();
  });
  net::run_loops(impl_->loops);
}

void Server::stop() {
  for (auto& l : impl_->loops) {
    net::AsioLoop* loop = l.get();
    loop->post([loop] { loop->stop(); });
  }
}

}  // namespace sio::ws
