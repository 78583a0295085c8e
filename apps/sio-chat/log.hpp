// The chat's leveled logger: printf-style lines through the library's log
// (sio::log: stderr, text or JSON as --log-format says, beside the library's
// own records).
#pragma once

#include <cstdarg>
#include <cstdio>
#include <string_view>

#include <sio/log.hpp>

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
    static constexpr sio::LogLevel kLevels[] = {sio::LogLevel::debug, sio::LogLevel::info, sio::LogLevel::warn,
                                                sio::LogLevel::error, sio::LogLevel::off};
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    sio::log(kLevels[static_cast<int>(l)], line);
  }

 private:
  LogLevel threshold_;
};

}  // namespace chat
