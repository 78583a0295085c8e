#include "format.hpp"

#include <cstdio>

namespace sio::bench {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string duration(std::uint64_t ns) {
  const double v = static_cast<double>(ns);
  if (ns < 1000) return std::to_string(ns) + "ns";
  if (ns < 1'000'000) return fixed(v / 1e3, v < 1e4 ? 1 : 0) + "us";
  if (ns < 1'000'000'000) return fixed(v / 1e6, v < 1e7 ? 2 : 1) + "ms";
  return fixed(v / 1e9, 2) + "s";
}

std::string bytes(double b) {
  if (b < 1024) return fixed(b, 0) + " B";
  if (b < 1024 * 1024) return fixed(b / 1024, 1) + " KB";
  if (b < 1024.0 * 1024 * 1024) return fixed(b / (1024 * 1024), 1) + " MB";
  return fixed(b / (1024.0 * 1024 * 1024), 2) + " GB";
}

std::string si(double v) {
  if (v < 1e3) return fixed(v, 0);
  if (v < 1e6) return fixed(v / 1e3, v < 1e4 ? 2 : 1) + "k";
  return fixed(v / 1e6, 2) + "M";
}

}  // namespace sio::bench
