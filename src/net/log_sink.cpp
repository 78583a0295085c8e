// sio::configure_logging and sio::log (include/sio/log.hpp): spdlog's default
// logger writes through one sink of ours, to stderr, as text or JSON lines,
// with the fields of the thread's wire::LogFields scope.
#include <sio/log.hpp>

#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "net/http_util.hpp"
#include "wire/log_fields.hpp"

namespace sio {

using net::append_json_escaped;

namespace {

spdlog::level::level_enum to_spdlog(LogLevel l) {
  switch (l) {
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
    case LogLevel::off: break;
  }
  return spdlog::level::off;
}

std::string_view level_name(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace:
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "off";
  }
}

// "2026-12-03T18:10:00.123Z" (JSON) or "2026-12-03 18:10:00.123" (text), UTC.
void append_time(std::string& out, spdlog::log_clock::time_point t, bool iso) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d.%03d%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                iso ? 'T' : ' ', tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000), iso ? "Z" : "");
  out += buf;
}

class StderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StderrSink(LogFormat format) : format_(format) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& m) override {
    std::string line;
    line.reserve(96 + m.payload.size());
    const std::string_view msg(m.payload.data(), m.payload.size());
    const wire::LogFields* fields = wire::LogFields::current();
    if (format_ == LogFormat::json) {
      line += "{\"time\":\"";
      append_time(line, m.time, true);
      line += "\",\"level\":\"";
      line += level_name(m.level);
      line += "\",\"msg\":\"";
      append_json_escaped(line, msg);
      line += '"';
      if (fields) {
        for (const auto& [k, v] : *fields) {
          line += ",\"";
          append_json_escaped(line, k);
          line += "\":\"";
          append_json_escaped(line, v);
          line += '"';
        }
      }
      line += "}\n";
    } else {
      append_time(line, m.time, false);
      line += " [";
      line += level_name(m.level);
      line += "] ";
      line += msg;
      if (fields) {
        for (const auto& [k, v] : *fields) {
          line += ' ';
          line += k;
          line += '=';
          line += v;
        }
      }
      line += '\n';
    }
    std::fwrite(line.data(), 1, line.size(), stderr);  // one write a line: lines stay whole
  }
  void flush_() override { std::fflush(stderr); }

 private:
  LogFormat format_;
};

std::mutex& config_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

void configure_logging(const LogOptions& options) {
  std::lock_guard lk(config_mutex());
  auto logger = std::make_shared<spdlog::logger>("sio", std::make_shared<StderrSink>(options.format));
  logger->set_level(to_spdlog(options.level));
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(std::move(logger));
}

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!log_enabled(level)) return;
  wire::LogFields scope(fields);
  spdlog::log(to_spdlog(level), "{}", message);
}

bool log_enabled(LogLevel level) noexcept {
  return level != LogLevel::off && spdlog::should_log(to_spdlog(level));
}

std::optional<LogLevel> parse_log_level(std::string_view name) noexcept {
  if (name == "debug") return LogLevel::debug;
  if (name == "info") return LogLevel::info;
  if (name == "warn") return LogLevel::warn;
  if (name == "error") return LogLevel::error;
  if (name == "off") return LogLevel::off;
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view name) noexcept {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

}  // namespace sio
