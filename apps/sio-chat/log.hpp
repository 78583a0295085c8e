// A minimal leveled logger to stderr (one line per call; fprintf keeps lines whole).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <string_view>

namespace chat {

enum class LogLevel { debug, info, warn, error, off };

inline LogLevel parse_log_level(std::string_view s) {
  if (s == "debug") return LogLevel::debug;
  if (s == "warn") return LogLevel::warn;
  if (s == "error") return LogLevel::error;
  if (s == "off") return LogLevel::off;
  return LogLevel::info;
}

class Log {
 public:
  explicit Log(LogLevel threshold = LogLevel::info) : threshold_(threshold) {}

  bool enabled(LogLevel l) const { return l >= threshold_ && l != LogLevel::off; }

  __attribute__((format(printf, 3, 4))) void operator()(LogLevel l, const char* fmt, ...) const {
    if (!enabled(l)) return;
    static constexpr const char* kNames[] = {"debug", "info", "warn", "error", "off"};
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    std::fprintf(stderr, "[%s] %s\n", kNames[static_cast<int>(l)], line);
  }

 private:
  LogLevel threshold_;
};

}  // namespace chat
