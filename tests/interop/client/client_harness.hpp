// Helpers for the sio::Client interop tests: an event log that handlers (on
// the client's loop) write to and the test thread waits on, and the three
// transport modes every feature is tested over.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include <boost/json/serialize.hpp>

#include <sio/client.hpp>

namespace sio::test {

using namespace std::chrono_literals;

enum class Mode { polling, websocket, upgrade };

inline std::string mode_name(Mode m) {
  switch (m) {
    case Mode::polling: return "polling";
    case Mode::websocket: return "websocket";
    case Mode::upgrade: return "upgrade";
  }
  return "?";
}

inline ClientOptions options_for(Mode m) {
  ClientOptions o;
  if (m == Mode::polling) o.transports = {ClientTransport::polling};
  if (m == Mode::websocket) o.transports = {ClientTransport::websocket};
  return o;
}

// Renders arguments as JSON text, binaries as {"bin":[bytes]}.
inline std::string show(const Args& args) {
  std::string s = "[";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i) s += ",";
    const auto& p = args[i];
    if (p.is_binary()) {
      s += "{\"bin\":[";
      const auto v = p.as_binary().view();
      for (std::size_t j = 0; j < v.size(); ++j) s += (j ? "," : "") + std::to_string(static_cast<unsigned char>(v[j]));
      s += "]}";
    } else {
      s += boost::json::serialize(p.json());
    }
  }
  return s + "]";
}

class EventLog {
 public:
  void push(std::string e) {
    {
      std::lock_guard lk(mu_);
      events_.push_back(std::move(e));
    }
    cv_.notify_all();
  }
  // The next entry starting with `prefix`; entries before it are consumed.
  std::optional<std::string> wait(const std::string& prefix, std::chrono::milliseconds t = 15s) {
    std::unique_lock lk(mu_);
    const auto deadline = std::chrono::steady_clock::now() + t;
    for (;;) {
      while (!events_.empty()) {
        auto e = std::move(events_.front());
        events_.pop_front();
        if (e.rfind(prefix, 0) == 0) return e;
      }
      if (cv_.wait_until(lk, deadline) == std::cv_status::timeout && events_.empty()) return std::nullopt;
    }
  }
  // The first entry starting with `prefix`, wherever it is; only it is
  // consumed, the entries before it stay for later waits. For events whose
  // order is not defined: the engine's upgrade may complete before or after
  // the Socket.IO connect, depending on whether the server reads "2probe" or
  // the CONNECT's POST first.
  std::optional<std::string> wait_unordered(const std::string& prefix, std::chrono::milliseconds t = 15s) {
    std::unique_lock lk(mu_);
    const auto deadline = std::chrono::steady_clock::now() + t;
    for (std::size_t seen = 0;;) {
      for (; seen < events_.size(); ++seen) {
        if (events_[seen].rfind(prefix, 0) != 0) continue;
        auto e = std::move(events_[seen]);
        events_.erase(events_.begin() + static_cast<std::ptrdiff_t>(seen));
        return e;
      }
      if (cv_.wait_until(lk, deadline) == std::cv_status::timeout && seen == events_.size()) return std::nullopt;
    }
  }
  // Everything logged so far (consumed).
  std::deque<std::string> take() {
    std::lock_guard lk(mu_);
    return std::exchange(events_, {});
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> events_;
};

// Logs a socket's lifecycle and the named events as "<nsp> <what> ...".
inline void watch(ClientSocket& s, EventLog& log, std::initializer_list<const char*> events = {}) {
  const std::string n = s.nsp();
  s.on_connect([&log, n] { log.push(n + " connect"); });
  s.on_connect_error([&log, n](const ConnectError& e) {
    log.push(n + " connect_error " + e.message + " " + boost::json::serialize(e.data));
  });
  s.on_disconnect([&log, n](const std::string& r) { log.push(n + " disconnect " + r); });
  for (const char* ev : events) {
    s.on(ev, [&log, n](ClientEvent& e) { log.push(n + " event " + e.name() + " " + show(e.args())); });
  }
}

inline void watch(Client& c, EventLog& log) {
  c.on_open([&log] { log.push("open"); });
  c.on_close([&log](const std::string& r) { log.push("close " + r); });
  c.on_error([&log](const std::string& m) { log.push("error " + m); });
  c.on_reconnect_attempt([&log](std::uint32_t n) { log.push("reconnect_attempt " + std::to_string(n)); });
  c.on_reconnect([&log](std::uint32_t n) { log.push("reconnect " + std::to_string(n)); });
  c.on_reconnect_error([&log](const std::string& m) { log.push("reconnect_error " + m); });
  c.on_reconnect_failed([&log] { log.push("reconnect_failed"); });
  c.on_upgrade([&log](const std::string& t) { log.push("upgrade " + t); });
}

}  // namespace sio::test
