// sio::Client: the URL and options turned into an engine target, the loop,
// the manager, and the connection-level events.
#include <cstdio>
#include <stdexcept>

#include "client/client_impl.hpp"

namespace sio {

using namespace std::chrono_literals;

namespace {

// After close(), how long the loop may go on writing goodbyes before run()
// returns regardless.
constexpr auto kCloseLinger = 2000ms;

engine::client::TransportKind kind_of(ClientTransport t) {
  return t == ClientTransport::polling ? engine::client::TransportKind::polling
                                       : engine::client::TransportKind::websocket;
}

net::client::EngineTarget make_target(const net::client::ServerUrl& url, const ClientOptions& o) {
  net::client::EngineTarget t;
  t.endpoint.secure = url.secure;
  t.endpoint.host = url.host;
  t.endpoint.port = url.port;
  t.endpoint.path = o.path.empty() ? "/socket.io/" : o.path;
  if (t.endpoint.path.front() != '/') t.endpoint.path.insert(0, 1, '/');
  if (t.endpoint.path.back() != '/') t.endpoint.path += '/';  // socket.io-client's addTrailingSlash
  std::string query = url.query;
  for (const auto& [k, v] : o.query) {
    if (!query.empty()) query += '&';
    query += net::client::query_escape(k) + "=" + net::client::query_escape(v);
  }
  t.endpoint.query = std::move(query);
  for (const auto& h : o.extra_headers) t.endpoint.headers.emplace_back(h);
  t.tls.verify_peer = o.tls.verify_peer;
  t.tls.ca_file = o.tls.ca_file;
  t.session.transports.clear();
  for (auto k : o.transports) t.session.transports.push_back(kind_of(k));
  t.session.upgrade = o.upgrade;
  t.max_message_size = o.max_message_size;
  return t;
}

}  // namespace

void report_handler_exception(const char* what, const char* message) noexcept {
  std::fprintf(stderr, "sio::Client: a %s handler threw: %s\n", what, message);
}

Client::Client(std::string url, ClientOptions opts) : impl_(std::make_unique<Impl>()) {
  std::string error;
  const auto parsed = net::client::parse_server_url(url, error);
  if (!parsed) throw std::invalid_argument("sio::Client: " + error);
  if (opts.transports.empty()) throw std::invalid_argument("sio::Client: no transport allowed");
  auto& im = *impl_;
  im.default_nsp = parsed->nsp;
  im.connector = net::client::make_connector(im.loop, make_target(*parsed, opts));
  client::ManagerOptions mo;
  mo.reconnection = opts.reconnection;
  mo.reconnection_attempts = opts.reconnection_attempts;
  mo.backoff.min = opts.reconnection_delay;
  mo.backoff.max = opts.reconnection_delay_max;
  mo.backoff.jitter = opts.randomization_factor;
  mo.timeout = opts.timeout;
  im.manager = std::make_unique<client::Manager>(im.loop, *im.connector, mo, opts.random);
  im.manager->set_observer(&im);
  im.opts = std::move(opts);
}

Client::~Client() {
  close();
  impl_->loop.join();
  // If nobody runs the loop, the close never happened: stop it for good.
  impl_->loop.stop();
}

void Client::Impl::on_loop(std::function<void()> t) {
  if (loop.in_loop_thread()) {
    t();
  } else {
    loop.post(std::move(t));
  }
}

ClientSocket& Client::socket(const std::string& nsp_in, ClientSocketOptions sopts) {
  auto& im = *impl_;
  std::string nsp = nsp_in.empty() ? im.default_nsp : nsp_in;
  if (nsp.front() != '/') nsp.insert(0, 1, '/');
  std::lock_guard lk(im.mu);
  auto& slot = im.sockets[nsp];
  if (slot) return *slot;
  auto st = std::make_shared<ClientSocket::State>();
  st->client = &im;
  st->nsp = nsp;
  st->opts.auth = sopts.auth ? sopts.auth : (im.opts.auth.empty() ? std::nullopt
                                                                   : std::optional<boost::json::object>(im.opts.auth));
  st->opts.max_buffered = im.opts.max_buffered_packets;
  st->opts.ack_timeout = im.opts.ack_timeout;
  slot.reset(new ClientSocket(st));
  st->pub = slot.get();
  // Made and connected on the loop; emits queued after this find it there.
  im.loop.post([&im, st] {
    st->core = &im.manager->socket(st->nsp, st->opts);
    st->core->set_observer(st.get());
    if (!im.closed) st->core->connect();
  });
  return *slot;
}

#define SIO_CLIENT_HANDLER(method, list, sig)        \
  Client& Client::method(std::function<sig> h) {     \
    std::lock_guard lk(impl_->mu);                   \
    impl_->list.push_back(std::move(h));             \
    return *this;                                    \
  }
SIO_CLIENT_HANDLER(on_open, open_handlers, void())
SIO_CLIENT_HANDLER(on_close, close_handlers, void(const std::string&))
SIO_CLIENT_HANDLER(on_error, error_handlers, void(const std::string&))
SIO_CLIENT_HANDLER(on_reconnect_attempt, reconnect_attempt_handlers, void(std::uint32_t))
SIO_CLIENT_HANDLER(on_reconnect, reconnect_handlers, void(std::uint32_t))
SIO_CLIENT_HANDLER(on_reconnect_error, reconnect_error_handlers, void(const std::string&))
SIO_CLIENT_HANDLER(on_reconnect_failed, reconnect_failed_handlers, void())
SIO_CLIENT_HANDLER(on_upgrade, upgrade_handlers, void(const std::string&))
#undef SIO_CLIENT_HANDLER

std::string Client::transport() const {
  std::lock_guard lk(impl_->mu);
  return impl_->transport;
}

void Client::run() { impl_->loop.run(); }
void Client::run_in_background() { impl_->loop.start_thread(); }
std::size_t Client::poll() { return impl_->loop.poll(); }
void Client::post(std::function<void()> task) { impl_->loop.post(std::move(task)); }

void Client::drop_connection() {
  auto& im = *impl_;
  im.loop.post([&im] {
    if (!im.closed) im.manager->drop_connection();
  });
}

void Client::close() {
  auto& im = *impl_;
  if (im.closed.exchange(true)) return;
  im.loop.post([&im] {
    // Every namespace says goodbye, then the connection; the loop stops once
    // that is written, or after the linger at most.
    im.manager->shutdown(make_error_code(errc::closed), [&im] { im.loop.stop(); });
    im.loop.start_timer(kCloseLinger, [&im] { im.loop.stop(); });
  });
}

// ---- connection events, on the loop ----

void Client::Impl::on_open() { fire("open", open_handlers); }

void Client::Impl::on_transport(std::string_view name) {
  std::lock_guard lk(mu);
  transport = std::string(name);
}

void Client::Impl::on_upgrade(std::string_view name) { fire("upgrade", upgrade_handlers, std::string(name)); }

void Client::Impl::on_close(const std::string& reason, const std::string&) { fire("close", close_handlers, reason); }
void Client::Impl::on_error(const std::string& m) { fire("error", error_handlers, m); }
void Client::Impl::on_reconnect_attempt(std::uint32_t n) { fire("reconnect_attempt", reconnect_attempt_handlers, n); }
void Client::Impl::on_reconnect(std::uint32_t n) { fire("reconnect", reconnect_handlers, n); }
void Client::Impl::on_reconnect_error(const std::string& m) { fire("reconnect_error", reconnect_error_handlers, m); }
void Client::Impl::on_reconnect_failed() { fire("reconnect_failed", reconnect_failed_handlers); }

}  // namespace sio
