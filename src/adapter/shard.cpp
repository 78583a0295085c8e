#include "adapter/shard.hpp"

namespace sio::adapter {

void Shard::add(Member& m) {
  members_[m.id()] = &m;
  join(m.id(), {m.id()});
}

void Shard::remove(const SocketId& id) {
  auto it = sids_.find(id);
  if (it != sids_.end()) {
    for (const auto& room : it->second) drop_from_room(room, id);
    sids_.erase(it);
  }
  members_.erase(id);
}

void Shard::join(const SocketId& id, const std::vector<Room>& rooms) {
  if (!members_.count(id)) return;  // gone already (a late join from another loop)
  auto& mine = sids_[id];
  for (const auto& room : rooms) {
    mine.insert(room);
    rooms_[room].insert(id);
  }
}

void Shard::leave(const SocketId& id, const Room& room) {
  auto it = sids_.find(id);
  if (it == sids_.end()) return;
  it->second.erase(room);
  drop_from_room(room, id);
}

std::set<Room> Shard::rooms_of(const SocketId& id) const {
  auto it = sids_.find(id);
  return it == sids_.end() ? std::set<Room>{} : it->second;
}

std::size_t Shard::room_size(const Room& room) const {
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.size();
}

void Shard::drop_from_room(const Room& room, const SocketId& id) {
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) rooms_.erase(it);  // rooms exist while someone is in them
}

std::vector<SocketId> Shard::select(const BroadcastOptions& opts) const {
  std::unordered_set<SocketId> excluded;
  for (const auto& room : opts.except) {
    auto it = rooms_.find(room);
    if (it != rooms_.end()) excluded.insert(it->second.begin(), it->second.end());
  }
  std::vector<SocketId> out;
  if (opts.rooms.empty()) {
    out.reserve(members_.size());
    for (const auto& [id, m] : members_)
      if (!excluded.count(id)) out.push_back(id);
    return out;
  }
  std::unordered_set<SocketId> seen;  // a socket in several of the rooms gets one copy
  for (const auto& room : opts.rooms) {
    auto it = rooms_.find(room);
    if (it == rooms_.end()) continue;
    for (const auto& id : it->second)
      if (!excluded.count(id) && seen.insert(id).second) out.push_back(id);
  }
  return out;
}

}  // namespace sio::adapter
