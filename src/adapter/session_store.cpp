#include "adapter/session_store.hpp"

#include <algorithm>

namespace sio::adapter {

namespace {

// base64url digits of `n`, most significant first.
std::string encode_offset(std::uint64_t n) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  char buf[11];
  int i = sizeof buf;
  do {
    buf[--i] = kDigits[n & 63];
    n >>= 6;
  } while (n != 0);
  return std::string(buf + i, buf + sizeof buf);
}

// socket.io's shouldIncludePacket: in one of the target rooms (or every
// socket), and in none of the excepted ones.
bool selects(const BroadcastOptions& o, const std::vector<Room>& rooms) {
  const bool in = o.rooms.empty() || std::any_of(rooms.begin(), rooms.end(), [&](const Room& r) { return o.rooms.contains(r); });
  return in && std::none_of(rooms.begin(), rooms.end(), [&](const Room& r) { return o.except.contains(r); });
}

}  // namespace

SessionStore::SessionStore(const ConnectionStateRecoveryOptions& opts, Clock clock)
    : opts_(opts), clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })) {
  // Seeded with the wall clock in ms (times 1024): offsets of an earlier run
  // of this process are not reused by this one.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  next_ = static_cast<std::uint64_t>(ms) << 10;
}

std::string SessionStore::next_offset() { return encode_offset(next_.fetch_add(1, std::memory_order_relaxed)); }

void SessionStore::append(std::string offset, std::shared_ptr<const wire::socketio::Encoded> bytes,
                          std::shared_ptr<const BroadcastOptions> opts) {
  std::lock_guard lock(mu_);
  const auto now = clock_();
  sweep_locked(now);
  if (opts_.max_stored_packets == 0) return;
  while (packets_.size() >= opts_.max_stored_packets) {
    index_.erase(packets_.front().offset);
    packets_.pop_front();
    ++first_seq_;
  }
  index_.emplace(offset, first_seq_ + packets_.size());
  packets_.push_back(Packet{std::move(offset), std::move(bytes), std::move(opts), now});
}

void SessionStore::persist(Session s) {
  std::lock_guard lock(mu_);
  const auto now = clock_();
  sweep_locked(now);
  if (opts_.max_sessions == 0) return;
  const std::uint64_t seq = ++persist_seq_;
  std::string pid = s.pid;
  sessions_.insert_or_assign(pid, Stored{std::move(s), now, seq});
  order_.emplace_back(std::move(pid), seq);
  while (sessions_.size() > opts_.max_sessions && !order_.empty()) {
    auto [oldest, oseq] = std::move(order_.front());
    order_.pop_front();
    auto it = sessions_.find(oldest);
    if (it != sessions_.end() && it->second.seq == oseq) sessions_.erase(it);
  }
}

std::optional<RestoredSession> SessionStore::restore(const std::string& pid, const std::string& offset) {
  std::lock_guard lock(mu_);
  sweep_locked(clock_());
  auto it = sessions_.find(pid);
  if (it == sessions_.end()) return std::nullopt;
  // Out of the store whatever the outcome: a session is recovered once (its
  // order_ entry goes stale and is skipped).
  Session s = std::move(it->second.session);
  sessions_.erase(it);
  auto at = index_.find(offset);
  if (at == index_.end()) return std::nullopt;  // unknown, or dropped already
  RestoredSession r{std::move(s), {}};
  for (std::size_t i = at->second - first_seq_ + 1; i < packets_.size(); ++i) {
    if (selects(*packets_[i].opts, r.session.rooms)) r.missed.push_back(packets_[i].bytes);
  }
  return r;
}

void SessionStore::sweep() {
  std::lock_guard lock(mu_);
  sweep_locked(clock_());
}

void SessionStore::sweep_locked(TimePoint now) {
  const auto threshold = now - opts_.max_disconnection_duration;
  while (!packets_.empty() && packets_.front().at < threshold) {
    index_.erase(packets_.front().offset);
    packets_.pop_front();
    ++first_seq_;
  }
  while (!order_.empty()) {
    auto it = sessions_.find(order_.front().first);
    if (it != sessions_.end() && it->second.seq == order_.front().second) {
      if (it->second.at >= threshold) break;
      sessions_.erase(it);
    }
    order_.pop_front();
  }
  // Memory back when empty (a burst of disconnections is over).
  if (order_.empty() && sessions_.bucket_count() > 64) sessions_ = {};
}

std::size_t SessionStore::packet_count() const {
  std::lock_guard lock(mu_);
  return packets_.size();
}

std::size_t SessionStore::session_count() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace sio::adapter
