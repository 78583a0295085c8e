#include "net/fd_poller.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

#include "net/slot_map.hpp"

namespace sio::net {

namespace {
constexpr int kBatch = 128;  // events fetched per epoll_wait
}

struct FdPoller::Impl {
  explicit Impl(boost::asio::io_context& c) : ctx(c), epfd(::epoll_create1(EPOLL_CLOEXEC)), outer(c) {
    if (epfd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    outer.assign(epfd);
  }
  boost::asio::io_context& ctx;
  int epfd;
  boost::asio::posix::stream_descriptor outer;  // epfd in the Asio reactor (owns and closes it)
  SlotMap<Watcher*> watchers;  // tokens are their ids: stale once removed
  bool waiting = false;
  bool stopped = false;
};

FdPoller::FdPoller(boost::asio::io_context& ctx) : impl_(std::make_unique<Impl>(ctx)) {}

FdPoller::~FdPoller() {
  impl_->stopped = true;
  boost::system::error_code ec;
  impl_->outer.close(ec);
}

FdPoller::Token FdPoller::add(int fd, Watcher* w) {
  Impl& s = *impl_;
  const Token token = s.watchers.insert(w);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = token;
  if (::epoll_ctl(s.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    s.watchers.erase(token);
    return 0;
  }
  arm();
  return token;
}

void FdPoller::remove(int fd, Token t) noexcept {
  if (!impl_->watchers.erase(t)) return;
  epoll_event ev{};
  ::epoll_ctl(impl_->epfd, EPOLL_CTL_DEL, fd, &ev);
}

void FdPoller::forget_closing(Token t) noexcept { impl_->watchers.erase(t); }

void FdPoller::arm() {
  Impl& s = *impl_;
  if (s.waiting || s.stopped) return;
  s.waiting = true;
  // Asio re-registers epfd on each wait (EPOLL_CTL_MOD), which also reports
  // readiness that arrived while no wait was pending: nothing is missed.
  s.outer.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    impl_->waiting = false;
    if (!ec) on_ready();
  });
}

void FdPoller::on_ready() {
  Impl& s = *impl_;
  std::array<epoll_event, kBatch> events;
  const int n = ::epoll_wait(s.epfd, events.data(), kBatch, 0);
  for (int i = 0; i < n; ++i) {
    // A watcher may remove others (or itself) while we go: look up each time.
    if (Watcher** w = s.watchers.find(events[i].data.u64)) (*w)->on_io(events[i].events);
  }
  if (n == kBatch) {
    // More may be ready; the outer edge will not fire again for them, so
    // come back after the other work queued on this loop.
    boost::asio::post(s.ctx, [this] { on_ready(); });
    return;
  }
  arm();
}

}  // namespace sio::net
