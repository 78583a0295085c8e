// The library's log: lines to stderr, as text or as one JSON object a line,
// from the level chosen up. A record may carry fields; what concerns one
// connection carries its Engine.IO id as "sid" (sessions opened, upgraded
// and closed, sockets joining and leaving namespaces: level debug).
//
//   sio::configure_logging({.level = sio::LogLevel::debug, .format = sio::LogFormat::json});
//   sio::log(sio::LogLevel::info, "user joined", {{"room", "lobby"}, {"nick", "ada"}});
//   // {"time":"2026-12-03T18:10:00.123Z","level":"info","msg":"user joined","room":"lobby","nick":"ada"}
//
// Programs may log through it too, so that their lines and the library's come
// out alike (sio-chat does). Default: info, text.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

namespace sio {

/// How much is logged: this level and the ones after it.
enum class LogLevel { debug, info, warn, error, off };
/// Text (`2026-12-03 18:10:00.123 [info] user joined room=lobby`) or JSON lines.
enum class LogFormat { text, json };

/// What configure_logging() sets.
struct LogOptions {
  LogLevel level = LogLevel::info;   ///< info: the library says little (Redis links, descriptor exhaustion)
  LogFormat format = LogFormat::text;  ///< one line a record on stderr
};

/// Sets the level and format of the library's log (thread-safe; any time).
void configure_logging(const LogOptions& options);

/// A name and a value of a record.
using LogField = std::pair<std::string_view, std::string_view>;

/// Writes one record when `level` is logged.
void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

/// Whether a record of `level` would be written (to skip building it).
bool log_enabled(LogLevel level) noexcept;

/// "debug", "info", "warn", "error", "off" (nullopt otherwise).
std::optional<LogLevel> parse_log_level(std::string_view name) noexcept;
/// "text", "json" (nullopt otherwise).
std::optional<LogFormat> parse_log_format(std::string_view name) noexcept;

}  // namespace sio
