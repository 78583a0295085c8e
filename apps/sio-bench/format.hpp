// Numbers for people: durations, byte sizes, large counts.
#pragma once

#include <cstdint>
#include <string>

namespace sio::bench {

std::string fixed(double v, int decimals);
std::string duration(std::uint64_t ns);  // "850us", "1.24ms", "2.1s"
std::string bytes(double b);             // "1.5 KB", "120 MB" (1 KB = 1024 B)
std::string si(double v);                // "12.3k", "1.20M"

}  // namespace sio::bench
