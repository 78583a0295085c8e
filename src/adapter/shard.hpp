// The rooms of the sockets that live on one event loop (socket.io's
// in-memory adapter, cut per loop). Used from that loop's thread only, so it
// needs no locks; a namespace-wide operation visits every shard on its loop.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapter/adapter.hpp"

namespace sio::adapter {

class Shard {
 public:
  void add(Member& m);  // joins the member's own id room
  void remove(const SocketId& id);
  void join(const SocketId& id, const std::vector<Room>& rooms);
  void leave(const SocketId& id, const Room& room);
  std::set<Room> rooms_of(const SocketId& id) const;

  std::size_t member_count() const { return members_.size(); }
  std::size_t room_count() const { return rooms_.size(); }
  std::size_t room_size(const Room& room) const;

  // The members `opts` selects, each once: in any of opts.rooms (all when
  // empty) and in none of opts.except. A snapshot of ids, so `visit` may
  // change rooms or membership; a member removed meanwhile is skipped.
  // Returns how many were visited.
  template <class F>
  std::size_t apply(const BroadcastOptions& opts, F&& visit) {
    std::size_t n = 0;
    for (const auto& id : select(opts)) {
      auto it = members_.find(id);
      if (it == members_.end()) continue;
      visit(*it->second);
      ++n;
    }
    return n;
  }

  std::vector<SocketId> select(const BroadcastOptions& opts) const;

 private:
  void drop_from_room(const Room& room, const SocketId& id);

  std::unordered_map<SocketId, Member*> members_;
  std::unordered_map<SocketId, std::set<Room>> sids_;                  // socket -> its rooms
  std::unordered_map<Room, std::unordered_set<SocketId>> rooms_;       // room -> its sockets
};

}  // namespace sio::adapter
