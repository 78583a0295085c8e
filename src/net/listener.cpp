#include "net/listener.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include <spdlog/spdlog.h>

namespace sio::net {

namespace asio = boost::asio;
using boost::asio::ip::tcp;

namespace {
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

constexpr std::chrono::milliseconds kFirstBackoff{10};   // the first wait after a failed accept()
constexpr std::chrono::milliseconds kMaxBackoff{1000};   // doubling up to this while it keeps failing

int open_spare() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec.value() == ENFILE;
}

// Errors that concern one connection (already gone, or refused by a
// firewall rule): the next one may be fine, so accept again at once.
bool per_connection(const boost::system::error_code& ec) {
  switch (ec.value()) {
    case ECONNABORTED: case EPROTO: case EPERM: case EINTR:
    case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
      return true;
    default:
      return false;
  }
}
}  // namespace

Listeners::Listeners(std::vector<std::unique_ptr<AsioLoop>>& loops, const std::string& host, std::uint16_t port)
    : loops_(loops), per_loop_(loops.size()) {
  const auto addr = asio::ip::make_address(host);
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    auto a = std::make_unique<tcp::acceptor>(loops_[i]->context());
    tcp::endpoint ep(addr, port);
    a->open(ep.protocol());
    a->set_option(tcp::acceptor::reuse_address(true));
    a->set_option(reuse_port(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    a->native_non_blocking(true);  // refuse_waiting() calls accept() itself, until EAGAIN
    port = a->local_endpoint().port();
    per_loop_[i].acceptor = std::move(a);
    per_loop_[i].spare_fd = open_spare();
  }
  port_ = port;
}

Listeners::~Listeners() {
  for (auto& l : per_loop_)
    if (l.spare_fd >= 0) ::close(l.spare_fd);
}

void Listeners::start(OnAccept on_accept) {
  on_accept_ = std::move(on_accept);
  for (std::size_t i = 0; i < per_loop_.size(); ++i) accept(i);
}

void Listeners::accept(std::size_t i) {
  PerLoop& l = per_loop_[i];
  // The peer's address comes with accept() (no getpeername per connection).
  l.acceptor->async_accept(loops_[i]->context(), l.peer, [this, i](boost::system::error_code ec, tcp::socket s) {
    PerLoop& l = per_loop_[i];
    if (ec == asio::error::operation_aborted || !l.acceptor->is_open()) return;
    if (ec) return on_failure(i, ec);
    counters_.accepted.fetch_add(1, std::memory_order_relaxed);
    l.backoff = std::chrono::milliseconds(0);
    if (l.short_of_descriptors) shortage(l, false, ec);
    on_accept_(i, std::move(s), l.peer);
    accept(i);
  });
}

void Listeners::on_failure(std::size_t i, const boost::system::error_code& ec) {
  counters_.failed.fetch_add(1, std::memory_order_relaxed);
  if (per_connection(ec)) return accept(i);
  PerLoop& l = per_loop_[i];
  if (out_of_descriptors(ec)) {
    if (!l.short_of_descriptors) shortage(l, true, ec);
    refuse_waiting(l);
  }
  // Whatever else failed (out of memory or buffers), it would fail again now.
  l.backoff = l.backoff.count() ? std::min(l.backoff * 2, kMaxBackoff) : kFirstBackoff;
  l.retry_timer = loops_[i]->start_timer(l.backoff, [this, i] {
    per_loop_[i].retry_timer = 0;
    if (per_loop_[i].acceptor->is_open()) accept(i);
  });
}

void Listeners::refuse_waiting(PerLoop& l) {
  if (l.spare_fd < 0 && (l.spare_fd = open_spare()) < 0) return;  // none to give up
  ::close(l.spare_fd);
  const int listen_fd = l.acceptor->native_handle();
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break;  // EAGAIN: the backlog is empty (or another thread took the spare's slot)
    }
    counters_.refused.fetch_add(1, std::memory_order_relaxed);
    ::close(fd);
  }
  l.spare_fd = open_spare();  // -1 if the slot was taken meanwhile: tried again next time
}

void Listeners::shortage(PerLoop& l, bool now, const boost::system::error_code& ec) {
  l.short_of_descriptors = now;
  if (now) {
    if (loops_short_.fetch_add(1, std::memory_order_relaxed) == 0)
      spdlog::warn("accept: {}: new connections are closed at once until descriptors free up", ec.message());
  } else if (loops_short_.fetch_sub(1, std::memory_order_relaxed) == 1) {
    spdlog::info("accept: descriptors available again ({} connections were refused so far)",
                 counters_.refused.load(std::memory_order_relaxed));
  }
}

void Listeners::close(std::size_t i) {
  PerLoop& l = per_loop_[i];
  if (l.retry_timer) loops_[i]->cancel_timer(l.retry_timer);
  l.retry_timer = 0;
  boost::system::error_code ec;
  l.acceptor->close(ec);
}

void run_loops(std::vector<std::unique_ptr<AsioLoop>>& loops) {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < loops.size(); ++i) threads.emplace_back([&loops, i] { loops[i]->run(); });
  loops[0]->run();
  for (auto& t : threads) t.join();
}

}  // namespace sio::net
