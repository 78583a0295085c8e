// What a run measures, as it goes: events and their latency (whole run and
// current interval), errors, and the once-a-second timeline behind the
// progress line and the report's throughput chart.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "errors.hpp"
#include "histogram.hpp"

namespace sio::bench {

std::uint64_t now_ns() noexcept;  // steady clock

struct TimelinePoint {
  double t = 0;                  // seconds since measuring began (negative: warm-up)
  double events_per_sec = 0;
  std::uint64_t p50_ns = 0, p99_ns = 0;
  std::uint64_t conns = 0;       // joined connections
  std::uint64_t errors = 0;      // total so far
  double server_cpu = -1;        // % of one core; -1: not sampled
  std::uint64_t server_rss = 0;  // bytes
  double tool_cpu = 0;           // % of one core
};

class Stats {
 public:
  void record(std::uint64_t latency_ns) noexcept {
    ++interval_events_;
    interval_.record(latency_ns);
    if (measuring_) {
      ++events_;
      latency_.record(latency_ns);
    }
  }

  void start_measuring(std::uint64_t now) {
    measuring_ = true;
    start_ns_ = now;
    events_ = 0;
    latency_.reset();
  }
  void stop_measuring(std::uint64_t now) {
    if (measuring_) end_ns_ = now;
    measuring_ = false;
  }
  bool measuring() const noexcept { return measuring_; }

  // Closes the current interval (the caller adds the samples it has).
  TimelinePoint take_interval(double t, double seconds);

  std::uint64_t events() const noexcept { return events_; }
  double measured_seconds() const noexcept { return static_cast<double>(end_ns_ - start_ns_) / 1e9; }
  const Histogram& latency() const noexcept { return latency_; }
  ErrorCounts errors;
  std::vector<TimelinePoint> timeline;
  std::uint64_t joined = 0;  // connections joined now

 private:
  Histogram latency_;
  Histogram interval_;
  std::uint64_t events_ = 0;
  std::uint64_t interval_events_ = 0;
  std::uint64_t start_ns_ = 0, end_ns_ = 0;
  bool measuring_ = false;
};

}  // namespace sio::bench
