// The in-memory storage behind connection state recovery (socket.io-adapter's
// SessionAwareAdapter): the sessions of sockets whose connection was lost,
// and the packets emitted to the namespace since, each under its offset, to
// replay to a session that comes back.
//
// Sans-I/O: the clock is given. Thread-safe (one mutex; every loop of the
// server appends and restores). Bounded: the packets and sessions older than
// max_disconnection_duration are swept on every call, and past the caps the
// oldest go first (see ConnectionStateRecoveryOptions).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <sio/recovery.hpp>

#include "adapter/adapter.hpp"

namespace sio::adapter {

using Clock = std::function<std::chrono::steady_clock::time_point()>;

class SessionStore {
 public:
  // `clock` null: std::chrono::steady_clock.
  SessionStore(const ConnectionStateRecoveryOptions& opts, Clock clock);

  // A new offset, unique for this process (and, from the wall clock it is
  // seeded with, across its restarts): a few base64url characters.
  std::string next_offset();
  // Keeps an emitted packet (its encoding already ends with `offset`), for
  // the sockets `opts` selects.
  void append(std::string offset, std::shared_ptr<const wire::socketio::Encoded> bytes,
              std::shared_ptr<const BroadcastOptions> opts);
  void persist(Session s);
  // The session `pid`, out of the store, with the packets after `offset` it
  // would have received; none when the session is unknown or expired, or the
  // offset is not (or no longer) kept.
  std::optional<RestoredSession> restore(const std::string& pid, const std::string& offset);
  // Drops what is older than the duration.
  void sweep();

  std::size_t packet_count() const;
  std::size_t session_count() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Packet {
    std::string offset;
    std::shared_ptr<const wire::socketio::Encoded> bytes;
    std::shared_ptr<const BroadcastOptions> opts;
    TimePoint at;
  };
  struct Stored {
    Session session;
    TimePoint at;
    std::uint64_t seq;  // which entry of order_ is current
  };
  void sweep_locked(TimePoint now);

  ConnectionStateRecoveryOptions opts_;
  Clock clock_;
  std::atomic<std::uint64_t> next_{0};
  mutable std::mutex mu_;
  std::deque<Packet> packets_;  // in emission order; offsets only grow
  std::uint64_t first_seq_ = 0;  // the sequence number of packets_.front()
  std::unordered_map<std::string, std::uint64_t> index_;  // offset -> sequence number
  std::unordered_map<std::string, Stored> sessions_;       // by pid
  // pids in persist order, with the seq of that persist (stale once the pid is
  // restored or persisted again): expiry and the cap pop from the front.
  std::deque<std::pair<std::string, std::uint64_t>> order_;
  std::uint64_t persist_seq_ = 0;
};

}  // namespace sio::adapter
