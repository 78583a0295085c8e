// The in-memory adapter over two loops: each loop's shard serves its own
// sockets on its own loop, a broadcast is encoded once and shared, and the
// gathering operations complete once every loop has answered.
#include "adapter/memory_adapter.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "adapter/fake_member.hpp"

namespace sio::adapter {
namespace {

using test::FakeLoop;
using test::FakeMember;

struct MemoryAdapterTest : ::testing::Test {
  FakeLoop l0{0}, l1{1};
  std::vector<FakeLoop*> loops{&l0, &l1};
  MemoryAdapter adapter{Context{"/chat", {&l0, &l1}, nullptr, {}, nullptr}};
  // a and b on loop 0, c and d on loop 1
  FakeMember a{"a", l0}, b{"b", l0}, c{"c", l1}, d{"d", l1};

  void SetUp() override {
    l0.enter([&] {
      adapter.add(0, a);
      adapter.add(0, b);
    });
    l1.enter([&] {
      adapter.add(1, c);
      adapter.add(1, d);
    });
  }
  void run() { test::run_all(loops); }
  static BroadcastOptions to(std::set<Room> rooms, std::set<Room> except = {}) {
    BroadcastOptions o;
    o.rooms = std::move(rooms);
    o.except = std::move(except);
    return o;
  }
  static BroadcastPacket packet(std::string event) { return {"/chat", std::move(event), Args{1, "x"}, std::nullopt}; }
};

TEST_F(MemoryAdapterTest, BroadcastIsEncodedOnceAndDeliveredOnEachSocketsLoop) {
  adapter.broadcast(packet("news"), {});
  EXPECT_TRUE(a.delivered.empty());  // posted, not run inline from outside the loops
  run();
  for (FakeMember* m : {&a, &b, &c, &d}) {
    ASSERT_EQ(m->delivered.size(), 1u) << m->id();
    EXPECT_TRUE(m->delivered[0].on_own_loop);
    EXPECT_EQ(m->delivered[0].bytes.text.view(), R"(42/chat,["news",1,"x"])");
    // the very same bytes: one encoding shared by every recipient
    EXPECT_EQ(m->delivered[0].bytes.text.data(), a.delivered[0].bytes.text.data());
  }
}

TEST_F(MemoryAdapterTest, RoomsSpanLoopsWithoutDuplicates) {
  l0.enter([&] { adapter.join(0, "a", {"r1", "r2"}); });
  l1.enter([&] { adapter.join(1, "c", {"r2"}); });
  l1.enter([&] { adapter.join(1, "d", {"r3"}); });
  adapter.broadcast(packet("m"), to({"r1", "r2", "r3"}, {"d"}));
  run();
  EXPECT_EQ(a.delivered.size(), 1u);  // in r1 and r2: once
  EXPECT_EQ(b.delivered.size(), 0u);
  EXPECT_EQ(c.delivered.size(), 1u);
  EXPECT_EQ(d.delivered.size(), 0u);  // excepted by its own room
}

TEST_F(MemoryAdapterTest, FlagsReachTheMembers) {
  BroadcastOptions o;
  o.flags.volatile_ = true;
  adapter.broadcast(packet("v"), o);
  run();
  EXPECT_TRUE(c.delivered.at(0).flags.volatile_);
}

TEST_F(MemoryAdapterTest, BroadcastWithAckCountsEveryLoopOnceAndForwardsAnswers) {
  std::vector<std::size_t> counts;
  std::vector<Args> answers;
  BroadcastPacket p = packet("q");
  p.id = 7;
  adapter.broadcast_with_ack(p, to({}, {"b"}), [&](std::size_t n) { counts.push_back(n); },
                             [&](Args r) { answers.push_back(std::move(r)); });
  run();
  EXPECT_EQ(counts, (std::vector<std::size_t>{3}));  // a, c, d: one count for this server
  EXPECT_EQ(a.delivered.at(0).bytes.text.view(), R"(42/chat,7["q",1,"x"])");
  ASSERT_EQ(c.acks.size(), 1u);
  c.acks[0](Args{"yes"});
  EXPECT_EQ(answers, (std::vector<Args>{Args{"yes"}}));
}

TEST_F(MemoryAdapterTest, FetchSocketsGathersEveryLoopThenAnswersOnce) {
  l1.enter([&] { adapter.join(1, "d", {"r"}); });
  l0.enter([&] { adapter.join(0, "a", {"r"}); });
  int calls = 0;
  std::vector<std::string> ids;
  adapter.fetch_sockets(to({"r"}), [&](std::error_code ec, std::vector<SocketInfo> infos) {
    EXPECT_FALSE(ec);
    ++calls;
    for (auto& i : infos) ids.push_back(i.id);
  });
  l0.run();
  EXPECT_EQ(calls, 0);  // loop 1 has not answered yet
  l1.run();
  EXPECT_EQ(calls, 1);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "d"}));
}

TEST_F(MemoryAdapterTest, JoinLeaveAndDisconnectByRoom) {
  l0.enter([&] { adapter.join(0, "a", {"old"}); });
  l1.enter([&] { adapter.join(1, "c", {"old"}); });
  adapter.add_sockets(to({"old"}), {"new1", "new2"});
  run();
  l0.enter([&] { EXPECT_EQ(adapter.rooms_of(0, "a"), (std::set<Room>{"a", "old", "new1", "new2"})); });
  l1.enter([&] { EXPECT_EQ(adapter.rooms_of(1, "c"), (std::set<Room>{"c", "old", "new1", "new2"})); });
  adapter.del_sockets(to({"new1"}), {"old", "new1"});
  run();
  l0.enter([&] { EXPECT_EQ(adapter.rooms_of(0, "a"), (std::set<Room>{"a", "new2"})); });
  adapter.disconnect_sockets(to({"new2"}, {"c"}), true);
  run();
  EXPECT_EQ(a.disconnects, (std::vector<bool>{true}));
  EXPECT_TRUE(c.disconnects.empty());
  EXPECT_TRUE(b.disconnects.empty());
}

// RemoteSocket's join/leave select a socket by its (implicit) own room.
TEST_F(MemoryAdapterTest, SocketsSelectedByTheirIdJoinAndLeave) {
  adapter.add_sockets(to({"a", "d"}), {"x", "c"});
  run();
  l0.enter([&] { EXPECT_EQ(adapter.rooms_of(0, "a"), (std::set<Room>{"a", "c", "x"})); });
  l1.enter([&] { EXPECT_EQ(adapter.rooms_of(1, "d"), (std::set<Room>{"c", "d", "x"})); });
  adapter.broadcast(packet("to-c"), to({"c"}));  // c itself, and a and d, who joined room "c"
  adapter.del_sockets(to({"d"}), {"d"});         // d leaves its own room
  run();
  for (FakeMember* m : {&a, &c, &d}) EXPECT_EQ(m->delivered.size(), 1u) << m->id();
  EXPECT_TRUE(b.delivered.empty());
  l1.enter([&] { EXPECT_EQ(adapter.rooms_of(1, "d"), (std::set<Room>{"c", "x"})); });
  adapter.broadcast(packet("to-d"), to({"d"}));
  adapter.broadcast(packet("not-a"), to({}, {"a"}));
  run();
  EXPECT_EQ(d.delivered.size(), 2u);  // only "not-a"
  EXPECT_EQ(d.delivered.back().event, "not-a");
  EXPECT_EQ(a.delivered.size(), 1u);
  EXPECT_EQ(b.delivered.size(), 1u);
}

TEST_F(MemoryAdapterTest, OneServerNoServerSideEmit) {
  std::size_t count = 0;
  adapter.server_count([&](std::size_t n) { count = n; });
  EXPECT_EQ(count, 1u);
  bool answered = false;
  adapter.server_side_emit("hello", {}, [&](std::error_code ec, std::vector<Args> replies) {
    answered = true;
    EXPECT_FALSE(ec);
    EXPECT_TRUE(replies.empty());
  });
  EXPECT_TRUE(answered);
}

TEST_F(MemoryAdapterTest, RemovedSocketsGetNothing) {
  l1.enter([&] { adapter.remove(1, "c"); });
  adapter.broadcast(packet("m"), {});
  run();
  EXPECT_TRUE(c.delivered.empty());
  EXPECT_EQ(d.delivered.size(), 1u);
}

}  // namespace
}  // namespace sio::adapter
