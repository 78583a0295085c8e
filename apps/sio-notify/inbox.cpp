#include "inbox.hpp"

#include <algorithm>

namespace notify {

Inbox::Entry& Inbox::entry(const std::string& user) {
  auto it = users_.find(user);
  if (it == users_.end()) {
    if (users_.size() >= limits_.max_users && !users_.empty()) {
      // Forget the user touched least recently (a scan, only when full).
      auto oldest = std::min_element(users_.begin(), users_.end(),
                                     [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
      users_.erase(oldest);
    }
    it = users_.emplace(user, Entry{}).first;
  }
  it->second.used = ++clock_;
  return it->second;
}

void Inbox::touch(const std::string& user) { entry(user); }

const Notification& Inbox::add(const std::string& user, std::uint64_t id, std::shared_ptr<const Content> content) {
  Entry& e = entry(user);
  while (e.items.size() >= limits_.per_user) e.items.pop_front();
  e.items.push_back(Notification{id, std::move(content), false});
  return e.items.back();
}

Inbox::Read Inbox::mark_read(const std::string& user, std::uint64_t id) {
  auto it = users_.find(user);
  if (it == users_.end()) return Read::unknown;
  for (auto& n : it->second.items) {
    if (n.id != id) continue;
    if (n.read) return Read::already;
    n.read = true;
    return Read::marked;
  }
  return Read::unknown;
}

std::vector<std::uint64_t> Inbox::mark_all_read(const std::string& user) {
  std::vector<std::uint64_t> changed;
  auto it = users_.find(user);
  if (it == users_.end()) return changed;
  for (auto& n : it->second.items) {
    if (n.read) continue;
    n.read = true;
    changed.push_back(n.id);
  }
  return changed;
}

std::size_t Inbox::unread(const std::string& user) const {
  auto it = users_.find(user);
  if (it == users_.end()) return 0;
  return static_cast<std::size_t>(
      std::count_if(it->second.items.begin(), it->second.items.end(), [](const auto& n) { return !n.read; }));
}

const std::deque<Notification>& Inbox::list(const std::string& user) const {
  static const std::deque<Notification> none;
  auto it = users_.find(user);
  return it == users_.end() ? none : it->second.items;
}

std::vector<std::string> Inbox::users() const {
  std::vector<std::string> out;
  out.reserve(users_.size());
  for (const auto& [name, e] : users_) out.push_back(name);
  return out;
}

}  // namespace notify
