// Runs one scenario through its phases on a single-threaded io_context:
//   connect  open the connections (scenario.start() until ready())
//   warm-up  load runs, nothing is recorded (idle: the settle time)
//   measure  load runs and is recorded; server and tool are sampled
// A 100 ms tick moves the phases, enforces handshake timeouts, and once a
// second adds a timeline point and redraws the progress line.
#pragma once

#include "options.hpp"
#include "results.hpp"

namespace sio::bench {

// Runs the whole thing; the results carry any errors (and `aborted` when the
// run could not happen at all, e.g. no connection joined).
Results run(const Options& opts);

}  // namespace sio::bench
