// Each user's notifications and what they have read: the app's only state.
// Bounded: the last `per_user` notifications of each user (older ones are
// dropped, read or not), and at most `max_users` users (past it, the user
// touched least recently is forgotten). Not thread-safe: NotifyServer holds
// its lock around every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace notify {

// What was sent, shared by every user it was sent to (a "*" notification is
// stored once).
struct Content {
  std::string title;
  std::string body;
  std::int64_t at_ms = 0;  // when the server took it (Unix ms)
};

struct Notification {
  std::uint64_t id = 0;  // one sequence for all users: a "*" notification has one id
  std::shared_ptr<const Content> content;
  bool read = false;
};

struct InboxLimits {
  std::size_t per_user = 20;      // notifications kept per user
  std::size_t max_users = 10000;  // users kept at once
};

class Inbox {
 public:
  explicit Inbox(InboxLimits limits) : limits_(limits) {}

  // The user's entry, made (or refreshed as recently used) now.
  void touch(const std::string& user);
  // Stores a notification for `user` (the oldest goes past per_user) and
  // returns its copy there.
  const Notification& add(const std::string& user, std::uint64_t id, std::shared_ptr<const Content> content);

  enum class Read { marked, already, unknown };
  // Marks one notification read; `unknown` when the user has no such id
  // (never theirs, or dropped as old).
  Read mark_read(const std::string& user, std::uint64_t id);
  // Marks all read; returns the ids that changed.
  std::vector<std::uint64_t> mark_all_read(const std::string& user);

  std::size_t unread(const std::string& user) const;
  // Oldest first; empty for an unknown user.
  const std::deque<Notification>& list(const std::string& user) const;
  // Every user kept (for "*").
  std::vector<std::string> users() const;
  std::size_t user_count() const { return users_.size(); }
  const InboxLimits& limits() const { return limits_; }

 private:
  struct Entry {
    std::deque<Notification> items;
    std::uint64_t used = 0;  // clock_ at the last touch
  };
  Entry& entry(const std::string& user);

  InboxLimits limits_;
  std::unordered_map<std::string, Entry> users_;
  std::uint64_t clock_ = 0;
};

}  // namespace notify
