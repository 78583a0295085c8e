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
  // Registrations: watcher per slot, and the slot's generation (bumped on
  // removal so that a stale token no longer matches).
  std::vector<Watcher*> watchers;
  std::vector<std::uint32_t> generations;
  std::vector<std::uint32_t> free_slots;
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
  std::uint32_t slot;
  if (!s.free_slots.empty()) {
    slot = s.free_slots.back();
    s.free_slots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(s.watchers.size());
    s.watchers.push_back(nullptr);
    s.generations.push_back(1);
  }
  const Token token = (static_cast<Token>(s.generations[slot]) << 32) | slot;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = token;
  if (::epoll_ctl(s.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    s.free_slots.push_back(slot);
    return 0;
  }
  s.watchers[slot] = w;
  arm();
  return token;
}

bool FdPoller::release_slot(Token t) noexcept {
  Impl& s = *impl_;
  const auto slot = static_cast<std::uint32_t>(t);
  if (t == 0 || slot >= s.watchers.size() || s.generations[slot] != static_cast<std::uint32_t>(t >> 32)) return false;
  s.watchers[slot] = nullptr;
  if (++s.generations[slot] == 0) s.generations[slot] = 1;  // tokens are never 0
  s.free_slots.push_back(slot);
  return true;
}

void FdPoller::remove(int fd, Token t) noexcept {
  if (!release_slot(t)) return;
  epoll_event ev{};
  ::epoll_ctl(impl_->epfd, EPOLL_CTL_DEL, fd, &ev);
}

void FdPoller::forget_closing(Token t) noexcept { release_slot(t); }

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
    const Token t = events[i].data.u64;
    const auto slot = static_cast<std::uint32_t>(t);
    // A watcher may remove others (or itself) while we go: check each time.
    if (slot < s.watchers.size() && s.generations[slot] == static_cast<std::uint32_t>(t >> 32) && s.watchers[slot]) {
      s.watchers[slot]->on_io(events[i].events);
    }
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
