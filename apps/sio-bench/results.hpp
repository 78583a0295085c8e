// The outcome of a run, as the reports (text, JSON, HTML) show it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "errors.hpp"
#include "histogram.hpp"
#include "options.hpp"
#include "stats.hpp"

namespace sio::bench {

struct ServerUsage {
  int pid = 0;
  double cpu_percent = 0;        // measured window, % of one core (all threads)
  std::uint64_t rss_before = 0;  // before the first connection
  std::uint64_t rss_start = 0;   // when measuring began
  std::uint64_t rss_end = 0;     // when measuring ended
  std::uint64_t rss_peak = 0;    // highest sample
  double rss_per_conn = 0;       // (rss_end - rss_before) / connections joined, bytes
};

struct Results {
  Options opts;
  std::string url_nsp;           // namespace joined
  std::string unit;              // what an event is
  std::uint64_t events = 0;      // completed in the measured window
  double seconds = 0;            // length of the measured window
  double events_per_sec = 0;
  Histogram latency;             // ns
  ErrorCounts errors;
  std::uint64_t conns_joined_start = 0;  // when measuring began
  std::uint64_t conns_joined_end = 0;
  double connect_seconds = 0;    // time to set up all connections before the load
  double tool_cpu_percent = 0;   // this process, measured window
  std::uint64_t tool_rss = 0;
  bool tool_saturated = false;   // the tool used (nearly) a whole core: a lower bound
  double machine_cpu_percent = 0;  // all CPUs busy during the measured window, % of one core
  // Of that, neither the server (when sampled) nor the tool: other work that
  // shared the machine (plus kernel threads); large values disturb a run.
  double others_cpu_percent = 0;
  std::optional<ServerUsage> server;
  std::vector<std::pair<std::string, double>> extras;
  std::vector<TimelinePoint> timeline;
  std::string aborted;           // why the run stopped early (empty: it did not)
};

}  // namespace sio::bench
