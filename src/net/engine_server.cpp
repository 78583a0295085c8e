#include "net/engine_server.hpp"

#include <stdexcept>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "net/http_connection.hpp"
#include "net/listener.hpp"
#include "net/server_core.hpp"

#include <sio/error.hpp>

namespace sio::net {

using boost::asio::ip::tcp;
namespace asio = boost::asio;

namespace {
constexpr std::chrono::milliseconds kShutdownGrace{200};  // lets close packets reach clients
}  // namespace

struct EngineServer::Impl {
  ServerCore core;
  std::unique_ptr<Listeners> listeners;
  std::atomic<bool> stopped{false};
};

EngineServer::EngineServer(EngineOptions opts, ListenOptions listen, engine::Acceptor& acceptor)
    : impl_(std::make_unique<Impl>()) {
  auto& core = impl_->core;
  core.opts = std::move(opts);
  // Before binding: a bad file fails the constructor with no port taken.
  if (!core.opts.tls.cert_file.empty()) core.tls = std::make_unique<TlsContext>(core.opts.tls);
  if (core.opts.path.empty() || core.opts.path.back() != '/') core.opts.path += '/';
  core.acceptor = &acceptor;
  std::size_t n = listen.threads ? listen.threads : std::max(1u, std::thread::hardware_concurrency());
  n = std::min<std::size_t>(n, 64);  // the sid's first character names the loop
  const SessionLimits& l = core.opts.limits;
  core.admission = std::make_unique<engine::Admission>(engine::Admission::Limits{
      l.max_sessions, l.max_sessions_per_address, l.handshakes_per_second, l.handshake_burst});
  for (std::size_t i = 0; i < n; ++i) {
    core.loops.push_back(std::make_unique<AsioLoop>(i));
    core.registries.push_back(std::make_unique<SessionRegistry>(core.opts, core.admission.get()));
  }
  core.budget = std::make_unique<engine::InboundBudget>(core.opts.max_inbound_buffered, n);
  core.trimmer = std::make_unique<MemoryTrimmer>(*core.loops[0]);
  core.budget->on_drained([t = core.trimmer.get()] { t->request(); });
  impl_->listeners = std::make_unique<Listeners>(core.loops, listen.host, listen.port);
}

EngineServer::~EngineServer() {
  impl_->core.budget->on_drained(nullptr);  // no trim requests from what the loops' teardown releases
}

std::uint16_t EngineServer::port() const { return impl_->listeners->port(); }
std::size_t EngineServer::loop_count() const { return impl_->core.loops.size(); }
engine::Loop& EngineServer::loop(std::size_t i) { return *impl_->core.loops.at(i); }
void EngineServer::set_http_handler(HttpHandler h) { impl_->core.http_handler = std::move(h); }
engine::InboundBudget& EngineServer::inbound_budget() { return *impl_->core.budget; }

std::error_code EngineServer::reload_tls(std::string* detail) {
  if (!impl_->core.tls) {
    if (detail) *detail = "TLS is not configured (no certificate file)";
    return make_error_code(errc::tls_bad_file);
  }
  return impl_->core.tls->reload(detail);
}

void EngineServer::run() {
  auto& core = impl_->core;
  for (auto& loop : core.loops) {
    // OpenSSL sets up its random generator per thread on first use (a few
    // hundred KB): do it now rather than in the first connection's handshake.
    loop->post([&core, i = loop->index()] { (void)core.new_sid(i); });
  }
  impl_->listeners->start([&core](std::size_t i, tcp::socket s, const tcp::endpoint& peer) {
    std::make_shared<HttpConnection>(core, *core.loops[i], std::move(s), peer)->start();
  });
  run_loops(core.loops);
}

void EngineServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  auto& core = impl_->core;
  // The count is read before the first post: after the last one the server
  // may be destroyed (its loops stop, run() returns) while this thread, a
  // signal handler's for one, still tests the loop condition.
  const std::size_t loops = core.loops.size();
  for (std::size_t i = 0; i < loops; ++i) {
    AsioLoop& loop = *core.loops[i];
    loop.post([this, &loop, i] {
      auto& core = impl_->core;
      core.stopping = true;  // new handshakes are refused (503) from now on
      for (auto& s : core.registries[i]->all()) s->close(engine::CloseReason::server_shutdown);
      // Connections are still accepted during the grace: a polling client
      // whose next poll opens a new connection still gets its close packet.
      loop.start_timer(kShutdownGrace, [this, &loop, i] {
        impl_->listeners->close(i);
        loop.stop();
      });
    });
  }
}

}  // namespace sio::net
