// Per-socket flood control (PROTOCOL.md, "Abuse"): a token bucket for requests
// and one for typing notices; refusals are strikes, and too many strikes get
// the socket disconnected. The clock is passed in, so this is plain arithmetic.
#pragma once

#include <algorithm>
#include <chrono>

namespace chat {

using Clock = std::chrono::steady_clock;

class TokenBucket {
 public:
  TokenBucket(double capacity, double per_second, Clock::time_point now)
      : capacity_(capacity), per_second_(per_second), tokens_(capacity), last_(now) {}

  void refill(Clock::time_point now) {
    std::chrono::duration<double> elapsed = now > last_ ? now - last_ : Clock::duration::zero();
    tokens_ = std::min(capacity_, tokens_ + elapsed.count() * per_second_);
    last_ = now;
  }
  bool take() {
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }
  bool full() const { return tokens_ >= capacity_; }

 private:
  double capacity_;
  double per_second_;
  double tokens_;
  Clock::time_point last_;
};

class FloodGuard {
 public:
  static constexpr double kRequestBurst = 20, kRequestsPerSecond = 5;  // bursts of 20, 5/s sustained
  static constexpr double kTypingBurst = 5, kTypingPerSecond = 1;      // typing is cheap but chatty
  static constexpr int kMaxStrikes = 50;  // refused requests before the socket is disconnected

  enum class Verdict { ok, refused, kick };

  explicit FloodGuard(Clock::time_point now)
      : requests_(kRequestBurst, kRequestsPerSecond, now), typing_(kTypingBurst, kTypingPerSecond, now) {}

  Verdict admit(bool is_typing, Clock::time_point now) {
    requests_.refill(now);
    typing_.refill(now);
    if (requests_.full() && typing_.full()) strikes_ = 0;  // quiet long enough: forgiven
    if ((is_typing ? typing_ : requests_).take()) return Verdict::ok;
    return ++strikes_ >= kMaxStrikes ? Verdict::kick : Verdict::refused;
  }

 private:
  TokenBucket requests_;
  TokenBucket typing_;
  int strikes_ = 0;
};

}  // namespace chat
