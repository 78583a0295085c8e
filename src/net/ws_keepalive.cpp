#include "net/ws_keepalive.hpp"

#include <algorithm>

namespace sio::net {

WsKeepAlive::ms WsKeepAlive::start() noexcept {
  last_ = next_delay();
  return last_;
}

WsKeepAlive::Step WsKeepAlive::tick(bool active, bool receiving, std::uint64_t messages) noexcept {
  if (active) {
    silent_for_ = ms(0);
    awaiting_pong_ = false;
  } else {
    silent_for_ += last_;
    if (awaiting_pong_) waited_ += last_;
  }
  // The same message is still under way when one was at the last tick and
  // none has ended since.
  if (receiving && in_message_ && messages == message_mark_) {
    message_age_ += last_;
  } else {
    in_message_ = receiving;
    message_age_ = ms(0);
    message_mark_ = messages;
  }

  Step s;
  if (cfg_.message_timeout.count() && in_message_ && message_age_ >= cfg_.message_timeout) {
    s.verdict = Verdict::slow_message;
    return s;
  }
  if (cfg_.ping_interval.count()) {
    if (awaiting_pong_ && waited_ >= cfg_.ping_timeout) {
      s.verdict = Verdict::silent;
      return s;
    }
    if (!awaiting_pong_ && silent_for_ >= cfg_.ping_interval) {
      s.verdict = Verdict::ping;
      awaiting_pong_ = true;
      waited_ = ms(0);
    }
  }
  last_ = s.next = next_delay();
  return s;
}

WsKeepAlive::ms WsKeepAlive::next_delay() const noexcept {
  ms next = ms::max();
  if (cfg_.ping_interval.count())
    next = awaiting_pong_ ? cfg_.ping_timeout - waited_ : cfg_.ping_interval - silent_for_;
  if (cfg_.message_timeout.count()) {
    const ms sample = std::max(ms(1), cfg_.message_timeout / 4);
    next = std::min(next, in_message_ ? std::min(sample, cfg_.message_timeout - message_age_) : sample);
  }
  if (next == ms::max()) return ms(0);
  return std::max(next, ms(1));
}

}  // namespace sio::net
