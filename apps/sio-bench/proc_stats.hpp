// CPU time and resident memory of a process, read from /proc (Linux), and of
// this process (getrusage): the server's cost of a load, and a check that the
// load tool itself is not the bottleneck.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace sio::bench {

struct ProcSample {
  double cpu_seconds = 0;       // user + system, all threads, since the process started
  std::uint64_t rss_bytes = 0;  // resident set size now
};

// Reads /proc/<pid>/stat and /proc/<pid>/statm; nothing when the process is gone.
std::optional<ProcSample> sample_process(int pid);

// Open file descriptors of a process (entries of /proc/<pid>/fd); nothing
// when they cannot be listed.
std::optional<std::size_t> count_fds(int pid);

// This process: CPU from getrusage, RSS from /proc/self/statm.
ProcSample sample_self();

// The whole machine, from /proc/stat: CPU seconds spent busy (user, nice,
// system, irq, softirq, steal) over all CPUs since boot. Differences over a
// window, minus the server's and the tool's own, tell how much other work
// shared the machine while we measured.
double machine_busy_seconds();

}  // namespace sio::bench
