#include "adapter/shard.hpp"

namespace sio::adapter {

void Shard::add(Member& m) {
  members_[m.id()] = Entry{&m, {}};
  live_.insert(&m);
  join(m.id(), {m.id()});
}

void Shard::remove(const SocketId& id) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  for (const auto& room : it->second.rooms) drop_from_room(room, it->second.member);
  live_.erase(it->second.member);
  members_.erase(it);
  ++removals_;
}

void Shard::join(const SocketId& id, const std::vector<Room>& rooms) {
  auto it = members_.find(id);
  if (it == members_.end()) return;  // gone already (a late join from another loop)
  for (const auto& room : rooms) {
    it->second.rooms.insert(room);
    rooms_[room].insert(it->second.member);
  }
}

void Shard::leave(const SocketId& id, const Room& room) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  it->second.rooms.erase(room);
  drop_from_room(room, it->second.member);
}

std::set<Room> Shard::rooms_of(const SocketId& id) const {
  auto it = members_.find(id);
  return it == members_.end() ? std::set<Room>{} : it->second.rooms;
}

std::size_t Shard::room_size(const Room& room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.size();
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
  for (const auto& room : opts.rooms) {
    auto it = rooms_.find(room);
    if (it == rooms_.end()) continue;
    if (!several) out.reserve(it->second.size());
    for (Member* m : it->second)
      if (!excluded.count(m) && (!several || seen.insert(m).second)) out.push_back(m);
  }
  return out;
}

}  // namespace sio::adapter
