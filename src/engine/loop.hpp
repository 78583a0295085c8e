// An event loop as the layers above the network see it: one thread, tasks
// posted from anywhere, timers armed from the loop's own thread. Implemented by
// net/ (Asio); the Socket.IO layer uses it for acks, connect timeouts and for
// reaching sockets owned by other loops.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace sio::engine {

using Task = std::function<void()>;

class Loop {
 public:
  using TimerId = std::uint64_t;  // 0 is never a valid id

  virtual ~Loop() = default;

  // Runs `t` on this loop's thread, later. Thread-safe.
  virtual void post(Task t) = 0;
  // Runs `t` now when called on this loop's thread, else posts it.
  virtual void dispatch(Task t) = 0;
  virtual bool in_loop_thread() const = 0;

  // Loop thread only. The callback runs once, unless cancelled first.
  virtual TimerId start_timer(std::chrono::milliseconds after, Task t) = 0;
  virtual void cancel_timer(TimerId id) = 0;

  // 0..N-1 among the server's loops.
  virtual std::size_t index() const = 0;
};

}  // namespace sio::engine
