#include "scenario.hpp"

#include <algorithm>

namespace sio::bench {

Scenario::~Scenario() = default;

Conn& Scenario::open(std::size_t slot, bool abortive_close) {
  if (auto& old = conns_[slot]) {
    old->close(abortive_close);
    leaving_.push_back(std::move(old));
  }
  if (was_joined_[slot]) --cx_.stats.joined;
  was_joined_[slot] = 0;
  conns_[slot] = std::make_unique<Conn>(cx_.io, cx_.target, cx_.opts.transport, cx_.codec, *this, slot);
  ++opening_;
  conns_[slot]->start(now_ns());
  return *conns_[slot];
}

void Scenario::fill() {
  while (refill_ && next_slot_ < conns_.size() && opening_ < cx_.opts.connect_concurrency) open(next_slot_++);
}

void Scenario::on_joined(Conn& c) {
  --opening_;
  was_joined_[c.slot()] = 1;
  ++cx_.stats.joined;
  joined(c);
  fill();
}

void Scenario::on_failed(Conn& c, ErrorKind k, std::string_view detail) {
  cx_.stats.errors.add(k, detail);
  if (was_joined_[c.slot()]) {
    was_joined_[c.slot()] = 0;
    --cx_.stats.joined;
  } else {
    --opening_;
  }
  failed(c);
  fill();
}

void Scenario::tick(std::uint64_t now) {
  const auto limit = static_cast<std::uint64_t>(cx_.opts.handshake_timeout * 1e9);
  for (auto& c : conns_) {
    if (c && c->state() == Conn::State::connecting && now - c->started_ns() > limit) {
      c->abandon();
      --opening_;
      cx_.stats.errors.add(ErrorKind::timeout, "namespace not joined within the handshake timeout");
      failed(*c);
    }
  }
  // Connections that said goodbye (or took too long to) go away.
  std::erase_if(leaving_, [now](const std::unique_ptr<Conn>& c) {
    return c->finished() || now - c->started_ns() > 60'000'000'000ull;
  });
  fill();
}

void Scenario::close_all() {
  refill_ = false;
  running_ = false;
  for (auto& c : conns_)
    if (c) c->close();
}

}  // namespace sio::bench
