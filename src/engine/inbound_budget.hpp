// A server-wide budget of inbound bytes held while they are received: the
// bodies of polling POSTs being read, the binary attachments of a Socket.IO
// packet not yet complete. Each connection's share is bounded by its own
// limits (max_http_buffer_size, max_attachments); many connections together
// were not (500 POSTs 1 KB short of 1 MB held 488 MB). Past the budget, new
// work is refused (503, or the connection closed) instead of buffered.
//
// One counter per loop, each on its own cache line: a loop reserves and
// releases on its own counter (an uncontended atomic add), and a reservation
// reads the others (relaxed loads, one per loop). No lock; the total may
// overshoot the limit by what loops reserve at the same instant (at most
// one reservation per loop). A lease may end on another loop's thread (a
// body handed to a session on another loop), hence atomics, not plain ints.
//
// When usage falls from high (a quarter of the limit) to low (a sixteenth),
// on_drained runs once (on the releasing thread), so that the server can
// give the memory back to the system (net/: malloc_trim, rate-limited). Not
// without a limit.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

namespace sio::engine {

class InboundBudget {
 public:
  // limit 0: no budget (every reservation succeeds; usage is still counted).
  InboundBudget(std::size_t limit, std::size_t loops)
      : limit_(limit), loops_(loops == 0 ? 1 : loops), counters_(std::make_unique<Counter[]>(loops_)) {}

  std::size_t limit() const noexcept { return limit_; }
  // Bytes reserved now, server-wide (a snapshot).
  std::size_t used() const noexcept {
    std::size_t sum = 0;
    for (std::size_t i = 0; i < loops_; ++i) sum += counters_[i].bytes.load(std::memory_order_relaxed);
    return sum;
  }

  // Reserves `n` bytes on loop `loop`'s counter, unless the server's total
  // would pass the limit (then nothing is reserved).
  bool try_reserve(std::size_t loop, std::size_t n) noexcept {
    if (n == 0) return true;
    const std::size_t total = used() + n;
    if (limit_ != 0 && total > limit_) return false;
    counters_[loop % loops_].bytes.fetch_add(n, std::memory_order_relaxed);
    for (std::size_t peak = peak_.load(std::memory_order_relaxed);
         total > peak && !peak_.compare_exchange_weak(peak, total, std::memory_order_relaxed);) {
    }
    return true;
  }

  void release(std::size_t loop, std::size_t n) noexcept {
    if (n == 0) return;
    counters_[loop % loops_].bytes.fetch_sub(n, std::memory_order_relaxed);
    const std::size_t high = limit_ / 4, low = limit_ / 16;
    if (limit_ == 0 || !on_drained_ || peak_.load(std::memory_order_relaxed) < high || used() > low) return;
    if (peak_.exchange(0, std::memory_order_relaxed) >= high) on_drained_();
  }

  // Set before the loops run.
  void on_drained(std::function<void()> fn) { on_drained_ = std::move(fn); }

  // Bytes reserved for one piece of work, released when it ends (destroyed
  // or reset), on any thread.
  class Lease {
   public:
    Lease() = default;
    Lease(InboundBudget* budget, std::size_t loop) : budget_(budget), loop_(loop) {}
    Lease(Lease&& o) noexcept : budget_(o.budget_), loop_(o.loop_), bytes_(std::exchange(o.bytes_, 0)) {}
    Lease& operator=(Lease&& o) noexcept {
      if (this != &o) {
        reset();
        budget_ = o.budget_;
        loop_ = o.loop_;
        bytes_ = std::exchange(o.bytes_, 0);
      }
      return *this;
    }
    ~Lease() { reset(); }

    // Holds `total` bytes in all: reserves the difference (false, and
    // nothing more held, when the budget refuses). No budget: always true.
    bool hold(std::size_t total) noexcept {
      if (!budget_ || total <= bytes_) return true;
      if (!budget_->try_reserve(loop_, total - bytes_)) return false;
      bytes_ = total;
      return true;
    }
    void reset() noexcept {
      if (budget_ && bytes_) budget_->release(loop_, bytes_);
      bytes_ = 0;
    }
    std::size_t bytes() const noexcept { return bytes_; }

   private:
    InboundBudget* budget_ = nullptr;
    std::size_t loop_ = 0;
    std::size_t bytes_ = 0;
  };

 private:
  struct alignas(64) Counter {
    std::atomic<std::size_t> bytes{0};
  };
  std::size_t limit_;
  std::size_t loops_;
  std::unique_ptr<Counter[]> counters_;
  std::atomic<std::size_t> peak_{0};  // the highest total since usage last fell low
  std::function<void()> on_drained_;
};

}  // namespace sio::engine
