#include "engine/admission.hpp"

#include <algorithm>

namespace sio::engine {

namespace {

Admission::Limits normalised(Admission::Limits l) {
  if (l.handshakes_per_second > 0) l.handshake_burst = std::max(l.handshake_burst, 1.0);
  return l;
}

}  // namespace

Admission::Admission(Limits limits)
    : limits_(normalised(limits)),
      active_(limits.max_sessions > 0 || limits.max_sessions_per_address > 0 || limits.handshakes_per_second > 0) {}

void Admission::refill(PerAddress& a, Clock::time_point now) const {
  if (limits_.handshakes_per_second <= 0) return;
  const double elapsed = std::chrono::duration<double>(now - a.refilled).count();
  if (elapsed > 0) a.tokens = std::min(limits_.handshake_burst, a.tokens + elapsed * limits_.handshakes_per_second);
  a.refilled = now;
}

bool Admission::idle(const PerAddress& a, Clock::time_point now) const {
  if (a.open > 0) return false;
  if (limits_.handshakes_per_second <= 0) return true;
  const double elapsed = std::chrono::duration<double>(now - a.refilled).count();
  return a.tokens + elapsed * limits_.handshakes_per_second >= limits_.handshake_burst;
}

void Admission::sweep(Clock::time_point now) {
  std::erase_if(by_address_, [&](const auto& kv) { return idle(kv.second, now); });
  // Next sweep when the table has doubled: amortised O(1) per handshake.
  sweep_at_ = std::max<std::size_t>(1024, by_address_.size() * 2);
}

Admission::Verdict Admission::admit(std::string_view address, Clock::time_point now) {
  std::lock_guard lk(mu_);
  if (limits_.max_sessions > 0 && total_ >= limits_.max_sessions) return Verdict::server_full;
  if (by_address_.size() >= sweep_at_) sweep(now);
  auto [it, fresh] = by_address_.try_emplace(std::string(address));
  PerAddress& a = it->second;
  if (fresh) {
    a.tokens = limits_.handshake_burst;
    a.refilled = now;
  }
  Verdict v = Verdict::admitted;
  if (limits_.max_sessions_per_address > 0 && a.open >= limits_.max_sessions_per_address) {
    v = Verdict::address_full;
  } else if (limits_.handshakes_per_second > 0) {
    refill(a, now);
    if (a.tokens < 1) v = Verdict::address_too_fast;
    else a.tokens -= 1;
  }
  if (v != Verdict::admitted) {
    if (idle(a, now)) by_address_.erase(it);
    return v;
  }
  ++a.open;
  ++total_;
  return v;
}

void Admission::release(std::string_view address, Clock::time_point now) {
  std::lock_guard lk(mu_);
  auto it = by_address_.find(std::string(address));
  if (it == by_address_.end() || it->second.open == 0) return;
  --it->second.open;
  --total_;
  if (idle(it->second, now)) by_address_.erase(it);
}

std::size_t Admission::sessions() const {
  std::lock_guard lk(mu_);
  return total_;
}

std::size_t Admission::addresses() const {
  std::lock_guard lk(mu_);
  return by_address_.size();
}

}  // namespace sio::engine
