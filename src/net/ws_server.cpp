// sio::ws::Server: plain WebSocket connections at any path. An accepted
// socket reads one HTTP request (Beast's parser) within request_timeout,
// answers the upgrade with our own 101, and becomes a WsConnection watched by
// a WsKeepAlive (pings, slow messages) on one timer.
#include <sio/websocket.hpp>

#include <thread>
#include <unordered_set>
#include <vector>

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
#include "net/memory_trim.hpp"
#include "net/ws_connection.hpp"
#include "net/ws_keepalive.hpp"

namespace sio::ws {

namespace asio = boost::asio;
using boost::asio::ip::tcp;
namespace http = boost::beast::http;

namespace {

class ConnectionImpl;
// The connections open on one loop (touched only from its thread), so that a
// server destroyed with connections open releases them: each holds itself
// while its socket is open.
using Live = std::unordered_set<ConnectionImpl*>;

class ConnectionImpl final : public Connection, public net::WsConnection::Handler {
 public:
  ConnectionImpl(std::shared_ptr<net::WsConnection> ws, HttpRequest req, const net::WsKeepAlive::Config& keepalive,
                 Live& live)
      : ws_(std::move(ws)), req_(std::move(req)), keepalive_(keepalive), live_(live) {
    live_.insert(this);
  }
  ~ConnectionImpl() override {
    live_.erase(this);
    if (timer_) ws_->loop().cancel_timer(timer_);
  }
  const HttpRequest& request() const override { return req_; }
  void send(std::string_view data, bool binary) override { ws_->send(wire::SharedBytes::copy_of(data), binary); }
  void close(std::uint16_t code, std::string_view reason) override { ws_->close(code, reason); }
  void on_message(std::function<void(std::string_view, bool)> fn) override { on_message_ = std::move(fn); }
  void on_close(std::function<void(std::uint16_t)> fn) override { on_close_ = std::move(fn); }

  void start_watch() { arm(keepalive_.start()); }

  void on_ws_message(std::string_view data, bool binary) override {
    ++messages_;
    if (on_message_) on_message_(data, binary);
  }
  void on_ws_closed(std::uint16_t code, std::error_code) override {
    auto self = std::move(self_);  // the last reference: released on return
    if (timer_) ws_->loop().cancel_timer(timer_);
    timer_ = 0;
    if (on_close_) on_close_(code);
  }

  // The server goes away: the socket is closed without a word and nothing
  // more is reported.
  std::shared_ptr<ConnectionImpl> drop() {
    ws_->detach();
    ws_->abort();
    return std::move(self_);
  }

  std::shared_ptr<ConnectionImpl> self_;  // alive while the socket is

 private:
  void arm(std::chrono::milliseconds after) {
    if (after.count() == 0 || !self_) return;
    // `this` alone: the timer is cancelled when the connection closes.
    timer_ = ws_->loop().start_timer(after, [this] {
      timer_ = 0;
      on_tick();
    });
  }

  void on_tick() {
    const auto hold = self_;  // a ping over the output limit closes (and may release) us
    if (!hold) return;
    const auto step = keepalive_.tick(ws_->take_activity(), ws_->receiving(), messages_);
    switch (step.verdict) {
      case net::WsKeepAlive::Verdict::none: break;
      case net::WsKeepAlive::Verdict::ping: ws_->ping(); break;
      case net::WsKeepAlive::Verdict::silent:
        ws_->close(wire::ws::close_code::going_away, "ping timeout");
        return;
      case net::WsKeepAlive::Verdict::slow_message:
        ws_->close(wire::ws::close_code::policy_violation, "message timeout");
        return;
    }
    arm(step.next);
  }

  std::shared_ptr<net::WsConnection> ws_;
  HttpRequest req_;
  net::WsKeepAlive keepalive_;
  std::uint64_t messages_ = 0;  // received so far
  engine::Loop::TimerId timer_ = 0;
  std::function<void(std::string_view, bool)> on_message_;
  std::function<void(std::uint16_t)> on_close_;
  Live& live_;
};

struct Upgrade : std::enable_shared_from_this<Upgrade> {
  Upgrade(net::AsioLoop& l, tcp::socket s, const ServerOptions& o, const net::WsKeepAlive::Config& k,
          const net::WsConnection::Limits& lim, const std::function<void(Connection&)>& cb, Live& lv)
      : loop(l), socket(std::move(s)), opts(o), keepalive(k), limits(lim), on_connection(cb), live(lv) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);  // small frames go out at once
  }

  void start() {
    // A request that does not come whole in time (a slowloris) is dropped:
    // the pending read ends with operation_aborted. (on_request cancels the
    // timer; the read always ends there. The callback holds a weak reference.)
    timer = loop.start_timer(opts.request_timeout, [weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        self->timer = 0;
        boost::system::error_code ignored;
        self->socket.close(ignored);
      }
    });
    parser.body_limit(0);
    net::async_read_request_header(socket, buffer, parser, {16 * 1024, opts.max_header_fields},
                                   [self = shared_from_this()](boost::system::error_code ec) { self->on_request(ec); });
  }

  void on_request(boost::system::error_code ec) {
    const bool timed_out = timer == 0;  // the request timer closed the socket
    if (timer) loop.cancel_timer(timer);
    timer = 0;
    if (timed_out) return;
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
    auto ws = std::make_shared<net::WsConnection>(loop, std::move(socket), limits);
    auto conn = std::make_shared<ConnectionImpl>(ws, std::move(req), keepalive, live);
    conn->self_ = conn;
    if (on_connection) on_connection(*conn);
    ws->start(conn.get(), leftover, wire::SharedBytes::copy_of(res));
    conn->start_watch();  // unless start() already closed it
  }

  net::AsioLoop& loop;
  tcp::socket socket;
  const ServerOptions& opts;
  const net::WsKeepAlive::Config& keepalive;
  const net::WsConnection::Limits& limits;
  const std::function<void(Connection&)>& on_connection;
  Live& live;
  engine::Loop::TimerId timer = 0;  // the request timeout
  boost::beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
};

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  net::WsKeepAlive::Config keepalive;  // from opts, shared by the connections
  std::unique_ptr<engine::InboundBudget> budget;  // opts.max_inbound_buffered
  net::WsConnection::Limits limits;               // from opts, shared by the connections
  std::function<void(Connection&)> on_connection;
  std::vector<Live> live;  // per loop
  std::vector<std::unique_ptr<net::AsioLoop>> loops;
  std::unique_ptr<net::MemoryTrimmer> trimmer;  // on loop 0, when the budget drains (as Engine.IO servers)
  std::unique_ptr<net::Listeners> listeners;

  // The loops have stopped (run() returned, or never ran): the connections
  // still open are closed and released while their loops still exist, then
  // the loops go with the upgrades still reading.
  ~Impl() {
    budget->on_drained(nullptr);  // no trim requests from what the teardown releases
    listeners.reset();
    for (auto& set : live) {
      std::vector<std::shared_ptr<ConnectionImpl>> held;
      for (ConnectionImpl* c : std::vector<ConnectionImpl*>(set.begin(), set.end())) held.push_back(c->drop());
    }
  }
};

Server::Server(ServerOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  impl_->keepalive = {impl_->opts.ping_interval, impl_->opts.ping_timeout, impl_->opts.message_timeout};
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->opts.threads); ++i)
    impl_->loops.push_back(std::make_unique<net::AsioLoop>(i));
  impl_->live.resize(impl_->loops.size());
  impl_->budget = std::make_unique<engine::InboundBudget>(impl_->opts.max_inbound_buffered, impl_->loops.size());
  impl_->limits.max_message = impl_->opts.max_message_size;
  impl_->limits.max_buffered = impl_->opts.max_buffered_bytes;
  impl_->limits.inbound = impl_->budget.get();
  impl_->trimmer = std::make_unique<net::MemoryTrimmer>(*impl_->loops[0]);
  impl_->budget->on_drained([t = impl_->trimmer.get()] { t->request(); });
  impl_->listeners = std::make_unique<net::Listeners>(impl_->loops, impl_->opts.host, impl_->opts.port);
}

Server::~Server() = default;
void Server::on_connection(std::function<void(Connection&)> fn) { impl_->on_connection = std::move(fn); }
std::uint16_t Server::port() const { return impl_->listeners->port(); }

void Server::run() {
  impl_->listeners->start([this](std::size_t i, tcp::socket s, const tcp::endpoint&) {
    std::make_shared<Upgrade>(*impl_->loops[i], std::move(s), impl_->opts, impl_->keepalive, impl_->limits, impl_->on_connection,
                              impl_->live[i])
        ->start();
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
