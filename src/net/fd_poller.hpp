// A loop's own edge-triggered epoll set for long-lived sockets (WebSockets),
// nested in the loop's Asio reactor as one descriptor.
//
// Why not Asio's per-socket async_wait: in Boost 1.81 every wait re-arms the
// descriptor with epoll_ctl(MOD) (epoll_reactor::start_op, non-speculative
// path), and every waiting socket holds a reactor descriptor state (168 B) and
// a pending operation (~290 B). Here a socket is registered once, for reading
// and writing, edge-triggered, and holds nothing while idle; the loop pays one
// re-arm of this set per turn, whatever the number of sockets that were ready.
//
// A registration is a slot with a generation, so an event fetched in a batch
// for a socket that closed earlier in the same batch is dropped, not delivered
// to freed memory.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace sio::net {

class FdPoller {
 public:
  class Watcher {
   public:
    // `events`: EPOLLIN, EPOLLOUT, EPOLLRDHUP, EPOLLHUP, EPOLLERR bits.
    virtual void on_io(std::uint32_t events) = 0;

   protected:
    ~Watcher() = default;
  };
  using Token = std::uint64_t;  // 0: not registered

  explicit FdPoller(boost::asio::io_context& ctx);
  ~FdPoller();
  FdPoller(const FdPoller&) = delete;
  FdPoller& operator=(const FdPoller&) = delete;

  // Watches `fd` for readiness (both directions, edge-triggered). Readiness
  // present at registration is reported too. 0 on failure (errno set).
  Token add(int fd, Watcher* w);
  // Stops watching; events already fetched for it are dropped.
  void remove(int fd, Token t) noexcept;
  // As remove(), for an fd the caller closes right away: closing its only
  // descriptor takes it out of the epoll set, so no epoll_ctl is needed.
  void forget_closing(Token t) noexcept;

 private:
  struct Impl;
  void arm();
  void on_ready();

  std::unique_ptr<Impl> impl_;
};

}  // namespace sio::net
