#include "net/memory_trim.hpp"

#include <algorithm>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sio::net {

void MemoryTrimmer::request() {
  if (scheduled_.exchange(true, std::memory_order_relaxed)) return;
  loop_.post([this] {
    auto wait = kDelay;
    if (trims()) {
      const auto since = std::chrono::steady_clock::now() - last_;
      wait = std::max(kDelay, std::chrono::duration_cast<std::chrono::milliseconds>(kMinInterval - since));
    }
    loop_.start_timer(wait, [this] { trim(); });
  });
}

void MemoryTrimmer::trim() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  last_ = std::chrono::steady_clock::now();
  trims_.fetch_add(1, std::memory_order_relaxed);
  scheduled_.store(false, std::memory_order_relaxed);
}

}  // namespace sio::net
