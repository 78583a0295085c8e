// One loop's rooms: membership, selection by rooms and except (each socket
// once), and safety when a visit changes the shard.
#include "adapter/shard.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "adapter/fake_member.hpp"

namespace sio::adapter {
namespace {

using test::FakeLoop;
using test::FakeMember;

std::vector<SocketId> sorted(const std::vector<Member*>& members) {
  std::vector<SocketId> v;
  for (auto* m : members) v.push_back(m->id());
  std::sort(v.begin(), v.end());
  return v;
}

BroadcastOptions opts(std::set<Room> rooms, std::set<Room> except = {}) {
  BroadcastOptions o;
  o.rooms = std::move(rooms);
  o.except = std::move(except);
  return o;
}

struct ShardTest : ::testing::Test {
  FakeLoop loop;
  FakeMember a{"a", loop}, b{"b", loop}, c{"c", loop};
  Shard shard;
  void SetUp() override {
    shard.add(a);
    shard.add(b);
    shard.add(c);
  }
};

TEST_F(ShardTest, EverySocketIsInItsOwnRoom) {
  EXPECT_EQ(shard.rooms_of("a"), (std::set<Room>{"a"}));
  EXPECT_EQ(shard.member_count(), 3u);
  EXPECT_EQ(shard.room_count(), 3u);
}

TEST_F(ShardTest, JoinLeaveAndEmptyRoomsDisappear) {
  shard.join("a", {"lobby", "x"});
  shard.join("b", {"lobby"});
  EXPECT_EQ(shard.rooms_of("a"), (std::set<Room>{"a", "lobby", "x"}));
  EXPECT_EQ(shard.room_size("lobby"), 2u);
  shard.leave("a", "x");
  EXPECT_EQ(shard.room_size("x"), 0u);
  EXPECT_EQ(shard.room_count(), 4u);  // a, b, c, lobby
  shard.remove("b");
  EXPECT_EQ(shard.room_size("lobby"), 1u);
  EXPECT_TRUE(shard.rooms_of("b").empty());
  shard.join("b", {"late"});  // a join for a socket that left is ignored
  EXPECT_EQ(shard.room_size("late"), 0u);
}

TEST_F(ShardTest, SelectsByRoomsOnceEachAndHonoursExcept) {
  shard.join("a", {"r1", "r2"});
  shard.join("b", {"r2"});
  shard.join("c", {"r3"});
  EXPECT_EQ(sorted(shard.select(opts({}))), (std::vector<SocketId>{"a", "b", "c"}));
  EXPECT_EQ(sorted(shard.select(opts({"r1", "r2"}))), (std::vector<SocketId>{"a", "b"}));  // a once
  EXPECT_EQ(sorted(shard.select(opts({"r2"}, {"a"}))), (std::vector<SocketId>{"b"}));
  EXPECT_EQ(sorted(shard.select(opts({}, {"r2"}))), (std::vector<SocketId>{"c"}));
  EXPECT_EQ(sorted(shard.select(opts({"nobody"}))), (std::vector<SocketId>{}));
  EXPECT_EQ(sorted(shard.select(opts({"r1", "r3"}, {"r3"}))), (std::vector<SocketId>{"a"}));
}

// The own id room is implicit (not stored); it must still behave as a room.
TEST_F(ShardTest, OwnIdRoomIsSelectableByToAndExcept) {
  EXPECT_EQ(shard.room_size("a"), 1u);
  EXPECT_EQ(sorted(shard.select(opts({"a"}))), (std::vector<SocketId>{"a"}));
  EXPECT_EQ(sorted(shard.select(opts({"a", "b"}))), (std::vector<SocketId>{"a", "b"}));
  EXPECT_EQ(sorted(shard.select(opts({}, {"a"}))), (std::vector<SocketId>{"b", "c"}));
  EXPECT_EQ(sorted(shard.select(opts({"a", "b"}, {"b"}))), (std::vector<SocketId>{"a"}));
  shard.join("a", {"lobby"});
  EXPECT_EQ(sorted(shard.select(opts({"a", "lobby"}))), (std::vector<SocketId>{"a"}));  // once
}

TEST_F(ShardTest, LeavingTheOwnRoomHidesItUntilJoinedAgain) {
  shard.join("a", {"lobby"});
  shard.leave("a", "a");
  EXPECT_EQ(shard.rooms_of("a"), (std::set<Room>{"lobby"}));
  EXPECT_EQ(shard.room_size("a"), 0u);
  EXPECT_EQ(shard.room_count(), 3u);  // b, c, lobby
  EXPECT_TRUE(shard.select(opts({"a"})).empty());
  EXPECT_EQ(sorted(shard.select(opts({}, {"a"}))), (std::vector<SocketId>{"a", "b", "c"}));
  EXPECT_EQ(sorted(shard.select(opts({"lobby"}))), (std::vector<SocketId>{"a"}));  // still a member
  shard.leave("a", "a");  // twice: no change
  shard.join("a", {"a"});
  EXPECT_EQ(shard.rooms_of("a"), (std::set<Room>{"a", "lobby"}));
  EXPECT_EQ(sorted(shard.select(opts({"a"}))), (std::vector<SocketId>{"a"}));
  EXPECT_EQ(shard.room_count(), 4u);
}

TEST_F(ShardTest, JoiningOwnRoomAgainStoresNothing) {
  shard.join("a", {"a", "a"});
  EXPECT_EQ(shard.rooms_of("a"), (std::set<Room>{"a"}));
  EXPECT_EQ(shard.room_size("a"), 1u);
  EXPECT_EQ(shard.room_count(), 3u);
}

TEST_F(ShardTest, OthersMayJoinARoomNamedLikeASocketId) {
  shard.join("b", {"a"});
  EXPECT_EQ(shard.rooms_of("b"), (std::set<Room>{"a", "b"}));
  EXPECT_EQ(shard.room_size("a"), 2u);
  EXPECT_EQ(shard.room_count(), 3u);  // "a" is one room, stored for b and implicit for a
  EXPECT_EQ(sorted(shard.select(opts({"a"}))), (std::vector<SocketId>{"a", "b"}));
  EXPECT_EQ(sorted(shard.select(opts({"a", "b"}))), (std::vector<SocketId>{"a", "b"}));  // b once
  EXPECT_EQ(sorted(shard.select(opts({}, {"a"}))), (std::vector<SocketId>{"c"}));
  shard.leave("a", "a");
  EXPECT_EQ(sorted(shard.select(opts({"a"}))), (std::vector<SocketId>{"b"}));
  EXPECT_EQ(shard.room_count(), 3u);  // a (b's), b, c
  shard.leave("b", "a");
  EXPECT_EQ(shard.room_size("a"), 0u);
  EXPECT_EQ(shard.room_count(), 2u);
  shard.remove("b");
  EXPECT_TRUE(shard.rooms_of("b").empty());
  EXPECT_EQ(shard.room_size("b"), 0u);
}

TEST_F(ShardTest, RemovingAMemberDropsItsStoredRooms) {
  shard.join("a", {"x", "y"});
  shard.join("b", {"x"});
  shard.remove("a");
  EXPECT_EQ(shard.room_size("x"), 1u);
  EXPECT_EQ(shard.room_size("y"), 0u);
  EXPECT_EQ(shard.room_count(), 3u);  // b, c, x
  EXPECT_EQ(shard.member_count(), 2u);
}

TEST_F(ShardTest, ApplyVisitsAMemberRemovedAndAddedAgain) {
  std::vector<SocketId> seen;
  shard.apply(opts({}), [&](Member& m) {
    seen.push_back(m.id());
    if (seen.size() == 1) {
      for (Member* other : {static_cast<Member*>(&a), static_cast<Member*>(&b), static_cast<Member*>(&c)}) {
        if (other == &m) continue;
        shard.remove(other->id());
        shard.add(*other);
      }
    }
  });
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(ShardTest, ApplySkipsMembersRemovedDuringTheVisit) {
  std::vector<SocketId> seen;
  const std::size_t n = shard.apply(opts({}), [&](Member& m) {
    seen.push_back(m.id());
    for (auto id : {"a", "b", "c"})
      if (id != m.id()) shard.remove(id);  // the first visit removes the others
  });
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
}  // namespace sio::adapter
