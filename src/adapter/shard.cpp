#include "adapter/shard.hpp"

#include <algorithm>
#include <functional>

namespace sio::adapter {

void Shard::add(Member& m) {
  members_.insert_or_assign(std::string_view(m.id()), Entry{&m, {}, true});
  if (applying_) removed_.erase(&m);  // back again: visit it as before
}

void Shard::remove(const SocketId& id) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Member* m = it->second.member;
  for (const Room* room : it->second.rooms) drop_from_room(*room, m);  // *room may die in there
  members_.erase(it);
  if (applying_) removed_.insert(m);
}

void Shard::join(const SocketId& id, const std::vector<Room>& rooms) {
  auto it = members_.find(id);
  if (it == members_.end()) return;  // gone already (a late join from another loop)
  Entry& e = it->second;
  for (const auto& room : rooms) {
    if (room == id) {
      e.in_own_room = true;
      continue;
    }
    auto [r, created] = rooms_.try_emplace(room);
    const Room* key = &r->first;
    auto pos = std::lower_bound(e.rooms.begin(), e.rooms.end(), key, std::less<>());
    if (pos != e.rooms.end() && *pos == key) continue;
    e.rooms.insert(pos, key);
    r->second.insert(e.member);
  }
}

void Shard::leave(const SocketId& id, const Room& room) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  Entry& e = it->second;
  if (room == id) {
    e.in_own_room = false;
    return;
  }
  auto r = rooms_.find(room);
  if (r == rooms_.end()) return;
  auto pos = std::lower_bound(e.rooms.begin(), e.rooms.end(), &r->first, std::less<>());
  if (pos == e.rooms.end() || *pos != &r->first) return;
  e.rooms.erase(pos);
  drop_from_room(room, e.member);
}

std::set<Room> Shard::rooms_of(const SocketId& id) const {
  auto it = members_.find(id);
  if (it == members_.end()) return {};
  std::set<Room> out;
  for (const Room* room : it->second.rooms) out.insert(*room);
  if (it->second.in_own_room) out.insert(id);
  return out;
}

std::size_t Shard::room_count() const {
  std::size_t n = rooms_.size();
  for (const auto& [id, e] : members_)
    if (e.in_own_room && !rooms_.count(Room(id))) ++n;  // not already counted as a stored room
  return n;
}

std::size_t Shard::room_size(const Room& room) const {
  auto it = rooms_.find(room);
  const std::size_t stored = it == rooms_.end() ? 0 : it->second.size();
  return stored + (own_room_member(room) ? 1 : 0);
}

Member* Shard::own_room_member(std::string_view room) const {
  auto it = members_.find(room);
  return it != members_.end() && it->second.in_own_room ? it->second.member : nullptr;
}

void Shard::drop_from_room(const Room& room, Member* m) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.erase(m);
  if (it->second.empty()) rooms_.erase(it);  // rooms exist while someone is in them
}

std::vector<Member*> Shard::select(const BroadcastOptions& opts) const {
  std::unordered_set<const Member*> excluded;
  for (const auto& room : opts.except) {
    auto it = rooms_.find(room);
    if (it != rooms_.end()) excluded.insert(it->second.begin(), it->second.end());
    if (Member* own = own_room_member(room)) excluded.insert(own);
  }
  std::vector<Member*> out;
  if (opts.rooms.empty()) {
    out.reserve(members_.size());
    for (const auto& [id, e] : members_)
      if (!excluded.count(e.member)) out.push_back(e.member);
    return out;
  }
  // a socket in several of the rooms gets one copy
  const bool several = opts.rooms.size() > 1;
  std::unordered_set<const Member*> seen;
  auto take = [&](Member* m) {
    if (!excluded.count(m) && (!several || seen.insert(m).second)) out.push_back(m);
  };
  for (const auto& room : opts.rooms) {
    auto it = rooms_.find(room);
    if (it != rooms_.end()) {
      if (!several) out.reserve(it->second.size() + 1);
      for (Member* m : it->second) take(m);
    }
    if (Member* own = own_room_member(room)) take(own);  // never also stored in `it`
  }
  return out;
}

}  // namespace sio::adapter
