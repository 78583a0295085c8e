// The three ways a run is reported: a text summary for people, JSON for
// scripts (bench/compare.sh), and a self-contained HTML page (inline SVG
// charts, no network) with the latency distribution and throughput over time.
#pragma once

#include <string>

#include "results.hpp"

namespace sio::bench {

std::string text_report(const Results& r);
std::string json_report(const Results& r);
std::string html_report(const Results& r);

// Exit status for a run: 0 fine, 1 errors counted, 2 aborted.
int exit_code(const Results& r);

}  // namespace sio::bench
