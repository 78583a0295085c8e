// Gives freed heap memory back to the system after a burst of inbound data
// (engine::InboundBudget's on_drained): glibc keeps what a thread's arena
// freed, and the large request bodies of a burst (up to max_http_buffer_size
// each, below glibc's raised mmap threshold) come from those arenas, so the
// process kept the burst's peak until malloc_trim(0). At most once per
// kMinInterval, a second after the request (one trim for a burst that drains
// in steps), on the loop given.
#pragma once

#include <atomic>
#include <chrono>

#include "net/loop.hpp"

namespace sio::net {

class MemoryTrimmer {
 public:
  static constexpr std::chrono::milliseconds kDelay{1000};
  static constexpr std::chrono::milliseconds kMinInterval{10000};

  explicit MemoryTrimmer(AsioLoop& loop) : loop_(loop) {}
  // Thread-safe.
  void request();
  std::size_t trims() const noexcept { return trims_.load(std::memory_order_relaxed); }

 private:
  void trim();  // loop thread

  AsioLoop& loop_;
  std::atomic<bool> scheduled_{false};
  std::atomic<std::size_t> trims_{0};
  std::chrono::steady_clock::time_point last_{};  // loop thread only
};

}  // namespace sio::net
