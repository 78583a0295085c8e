// Admission of new sessions (EngineOptions::limits): at most so many open at
// once in the server, so many per client address, and a handshake rate per
// address (a token bucket: `burst` handshakes at once, refilled at `rate` a
// second). Thread-safe: every loop asks the one table at a handshake and
// gives its place back when the session ends. Only handshakes pay (a lock
// each); messages never come here, and with every limit off nothing does.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sio::engine {

class Admission {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    std::size_t max_sessions = 0;              // 0: no limit
    std::size_t max_sessions_per_address = 0;  // 0: no limit
    double handshakes_per_second = 0;          // per address; 0: no limit
    double handshake_burst = 0;                // the bucket's size (at least 1 when a rate is set)
  };
  enum class Verdict { admitted, server_full, address_full, address_too_fast };

  explicit Admission(Limits limits);

  // Whether any limit is set (when none, callers skip admit/release).
  bool active() const noexcept { return active_; }
  // A new session from `address` at `now`: admitted (its place is taken
  // until release()), or why not.
  Verdict admit(std::string_view address, Clock::time_point now);
  // The session of `address` that admit() let in has ended.
  void release(std::string_view address, Clock::time_point now);

  std::size_t sessions() const;
  // Addresses the table holds (with sessions open, or a bucket not yet full).
  std::size_t addresses() const;

 private:
  struct PerAddress {
    std::size_t open = 0;
    double tokens = 0;
    Clock::time_point refilled{};
  };
  void refill(PerAddress& a, Clock::time_point now) const;
  bool idle(const PerAddress& a, Clock::time_point now) const;  // no session, bucket full: forgettable
  void sweep(Clock::time_point now);

  const Limits limits_;
  const bool active_;
  mutable std::mutex mu_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, PerAddress> by_address_;
  std::size_t sweep_at_ = 1024;  // table size that triggers the next sweep
};

}  // namespace sio::engine
