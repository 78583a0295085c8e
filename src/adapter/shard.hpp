// The rooms of the sockets that live on one event loop (socket.io's
// in-memory adapter, cut per loop). Used from that loop's thread only, so it
// needs no locks; a namespace-wide operation visits every shard on its loop.
//
// Rooms map to members directly, so a broadcast to one room with no except
// walks that room's set and allocates nothing per recipient.
//
// Every socket is in the room named by its own id (socket.io semantics), but
// that room is implicit: it is answered from the member index (members_ is
// keyed by id) instead of being stored as a room, which costs nothing per
// socket. Leaving it (socket.leave(socket.id), allowed by socket.io) clears a
// flag, joining it again sets it: while left, the socket's id is not in its
// rooms and a broadcast to its id does not reach it, as in socket.io. Other
// sockets may join a room named like a socket's id: that room is stored as
// any other, and its members are the stored ones plus the socket itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "adapter/adapter.hpp"

namespace sio::adapter {

class Shard {
 public:
  // Indexes `m` by m.id() (viewed, not copied: the id must not change while
  // `m` is here); it is in its own id room from now on.
  void add(Member& m);
  void remove(const SocketId& id);
  void join(const SocketId& id, const std::vector<Room>& rooms);
  void leave(const SocketId& id, const Room& room);
  std::set<Room> rooms_of(const SocketId& id) const;

  std::size_t member_count() const { return members_.size(); }
  // Distinct non-empty rooms, own id rooms included. Walks the members: for
  // tests and stats.
  std::size_t room_count() const;
  std::size_t room_size(const Room& room) const;

  // The members `opts` selects, each once: in any of opts.rooms (every
  // member when empty) and in none of opts.except.
  std::vector<Member*> select(const BroadcastOptions& opts) const;

  // Visits what select() returns. `visit` may change rooms or membership: a
  // member removed meanwhile is skipped. Returns how many were visited.
  template <class F>
  std::size_t apply(const BroadcastOptions& opts, F&& visit) {
    const std::vector<Member*> targets = select(opts);
    Applying guard(*this);
    std::size_t n = 0;
    for (Member* m : targets) {
      if (!removed_.empty() && removed_.count(m)) continue;  // gone during an earlier visit
      visit(*m);
      ++n;
    }
    return n;
  }

 private:
  struct Entry {
    Member* member;
    // The stored rooms it is in, as the addresses of their keys in rooms_
    // (stable while the room exists, which it does while it has members),
    // sorted by address. Most sockets have 0-2.
    std::vector<const Room*> rooms;
    bool in_own_room = true;
  };
  // Counts nested apply() calls; the members removed meanwhile are kept in
  // removed_ until the outermost one ends.
  struct Applying {
    explicit Applying(Shard& s) : shard(s) { ++shard.applying_; }
    ~Applying() {
      if (--shard.applying_ == 0) shard.removed_.clear();
    }
    Applying(const Applying&) = delete;
    Applying& operator=(const Applying&) = delete;
    Shard& shard;
  };

  // The member whose own id room is `room`, while it is in it.
  Member* own_room_member(std::string_view room) const;
  void drop_from_room(const Room& room, Member* m);

  std::unordered_map<std::string_view, Entry> members_;           // keys view Member::id()
  std::unordered_map<Room, std::unordered_set<Member*>> rooms_;  // stored rooms, never own id rooms
  std::unordered_set<const Member*> removed_;                     // during apply() only
  unsigned applying_ = 0;
};

}  // namespace sio::adapter
