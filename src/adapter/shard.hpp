// The rooms of the sockets that live on one event loop (socket.io's
// in-memory adapter, cut per loop). Used from that loop's thread only, so it
// needs no locks; a namespace-wide operation visits every shard on its loop.
//
// Rooms map to members directly, so a broadcast to one room with no except
// walks that room's set and allocates nothing per recipient.
#pragma once

#include <cstddef>
#include <cstdint>
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

  // The members `opts` selects, each once: in any of opts.rooms (every
  // member when empty) and in none of opts.except.
  std::vector<Member*> select(const BroadcastOptions& opts) const;

  // Visits what select() returns. `visit` may change rooms or membership: a
  // member removed meanwhile is skipped. Returns how many were visited.
  template <class F>
  std::size_t apply(const BroadcastOptions& opts, F&& visit) {
    const std::vector<Member*> targets = select(opts);
    const std::uint64_t removals = removals_;
    std::size_t n = 0;
    for (Member* m : targets) {
      if (removals_ != removals && !live_.count(m)) continue;  // gone during an earlier visit
      visit(*m);
      ++n;
    }
    return n;
  }

 private:
  struct Entry {
    Member* member;
    std::set<Room> rooms;
  };
  void drop_from_room(const Room& room, Member* m);

  std::unordered_map<SocketId, Entry> members_;
  std::unordered_map<Room, std::unordered_set<Member*>> rooms_;
  std::unordered_set<const Member*> live_;
  std::uint64_t removals_ = 0;  // lets apply() skip the liveness check when nothing left
};

}  // namespace sio::adapter
