#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "format.hpp"

namespace sio::bench {

Progress::Progress(const Options& opts) : on_(opts.progress && isatty(STDERR_FILENO)) {}

void Progress::draw(const char* phase, double seconds, const Stats& stats, const TimelinePoint& last,
                    std::size_t conns) {
  if (!on_) return;
  std::string line = "\r\033[K[" + std::string(phase) + " " + fixed(seconds, 1) + "s] conns " +
                     std::to_string(stats.joined) + "/" + std::to_string(conns) + "  " +
                     si(last.events_per_sec) + "/s  p50 " + duration(last.p50_ns) + "  p99 " +
                     duration(last.p99_ns) + "  errors " + std::to_string(stats.errors.total());
  if (last.server_cpu >= 0)
    line += "  server " + fixed(last.server_cpu, 0) + "% " + bytes(last.server_rss);
  line += "  tool " + fixed(last.tool_cpu, 0) + "%";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::clear() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

}  // namespace sio::bench
