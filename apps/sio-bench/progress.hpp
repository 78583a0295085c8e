// The live progress line on a terminal (stderr), redrawn in place; nothing
// when stderr is not a terminal or --quiet was given.
#pragma once

#include <cstddef>

#include "options.hpp"
#include "stats.hpp"

namespace sio::bench {

class Progress {
 public:
  explicit Progress(const Options& opts);
  // `last`: the latest once-a-second point (rates, CPU, memory).
  void draw(const char* phase, double seconds, const Stats& stats, const TimelinePoint& last, std::size_t conns);
  void clear();

 private:
  bool on_ = false;
  bool drawn_ = false;
};

}  // namespace sio::bench
