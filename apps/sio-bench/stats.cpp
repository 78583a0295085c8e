#include "stats.hpp"

#include <chrono>

namespace sio::bench {

std::uint64_t now_ns() noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

TimelinePoint Stats::take_interval(double t, double seconds) {
  TimelinePoint p;
  p.t = t;
  p.events_per_sec = seconds > 0 ? static_cast<double>(interval_events_) / seconds : 0;
  p.p50_ns = interval_.quantile(0.5);
  p.p99_ns = interval_.quantile(0.99);
  p.conns = joined;
  p.errors = errors.total();
  interval_events_ = 0;
  interval_.reset();
  return p;
}

}  // namespace sio::bench
