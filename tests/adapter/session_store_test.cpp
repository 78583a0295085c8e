// The recovery store without a server: which packets a restored session gets
// (socket.io's shouldIncludePacket), the exact-offset rule, expiry of
// sessions and packets, and the two caps.
#include "adapter/session_store.hpp"

#include <gtest/gtest.h>

#include "wire/sio_args.hpp"
#include "wire/sio_packet.hpp"

namespace sio::adapter {
namespace {

using namespace std::chrono_literals;
namespace sp = wire::socketio;

struct StoreTest : ::testing::Test {
  std::chrono::steady_clock::time_point now{};
  ConnectionStateRecoveryOptions opts = [] {
    ConnectionStateRecoveryOptions o;
    o.enabled = true;
    return o;
  }();
  std::unique_ptr<SessionStore> store;

  void make() { store = std::make_unique<SessionStore>(opts, [this] { return now; }); }
  void SetUp() override { make(); }

  // Appends a packet named `tag` for `rooms` except `except`; returns its offset.
  std::string emit(const std::string& tag, std::set<std::string> rooms = {}, std::set<std::string> except = {}) {
    std::string offset = store->next_offset();
    auto o = std::make_shared<BroadcastOptions>();
    o->rooms = std::move(rooms);
    o->except = std::move(except);
    store->append(offset, std::make_shared<const sp::Encoded>(sp::encode_event("/", tag, {offset}, std::nullopt)),
                  std::move(o));
    return offset;
  }
  void persist(const std::string& pid, std::vector<std::string> rooms = {"sid1"}) {
    store->persist(Session{"sid1", pid, std::move(rooms), boost::json::object{{"k", 1}}});
  }
  // The tags of the missed packets, or "none" when not restored.
  std::vector<std::string> restore(const std::string& pid, const std::string& offset) {
    auto r = store->restore(pid, offset);
    if (!r) return {"none"};
    std::vector<std::string> tags;
    for (const auto& b : r->missed) {
      const std::string text(b->text.view());  // [4]2["tag",...
      const auto p = text.find('"') + 1;
      tags.push_back(text.substr(p, text.find('"', p) - p));
    }
    return tags;
  }
};

TEST_F(StoreTest, OffsetsAreDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(store->next_offset()).second);
}

TEST_F(StoreTest, RestoresWhatCameAfterTheOffsetForTheSessionsRooms) {
  const auto o1 = emit("all-1");
  persist("p1", {"sid1", "r1"});
  emit("all-2");
  emit("to-r1", {"r1"});
  emit("to-r2", {"r2"});
  emit("to-r1-r2", {"r1", "r2"});
  emit("all-but-r1", {}, {"r1"});
  emit("to-sid1", {"sid1"});
  emit("to-r2-but-r1", {"r2"}, {"r1"});
  emit("all-3");
  EXPECT_EQ(restore("p1", o1), (std::vector<std::string>{"all-2", "to-r1", "to-r1-r2", "to-sid1", "all-3"}));
}

TEST_F(StoreTest, TheSessionComesBackWhole) {
  const auto o1 = emit("x");
  persist("p1", {"sid1", "r1"});
  auto r = store->restore("p1", o1);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->session.sid, "sid1");
  EXPECT_EQ(r->session.pid, "p1");
  EXPECT_EQ(r->session.rooms, (std::vector<std::string>{"sid1", "r1"}));
  EXPECT_EQ(r->session.data, (boost::json::object{{"k", 1}}));
  EXPECT_TRUE(r->missed.empty());
}

TEST_F(StoreTest, RestoredOnce) {
  const auto o1 = emit("x");
  persist("p1");
  EXPECT_EQ(restore("p1", o1), std::vector<std::string>{});
  EXPECT_EQ(restore("p1", o1), std::vector<std::string>{"none"});
  EXPECT_EQ(store->session_count(), 0u);
}

TEST_F(StoreTest, UnknownPidOrOffsetIsNotRestored) {
  const auto o1 = emit("x");
  persist("p1");
  EXPECT_EQ(restore("p2", o1), std::vector<std::string>{"none"});
  EXPECT_EQ(restore("p1", "no-such-offset"), std::vector<std::string>{"none"});
}

TEST_F(StoreTest, SessionsAndPacketsExpire) {
  opts.max_disconnection_duration = 1000ms;
  make();
  const auto o1 = emit("x");
  persist("p1");
  now += 1000ms;  // at the limit: still there (expired once strictly older)
  EXPECT_EQ(store->session_count(), 1u);
  persist("p2");
  now += 1ms;
  store->sweep();
  EXPECT_EQ(store->session_count(), 1u);  // p1 expired, p2 not
  EXPECT_EQ(store->packet_count(), 0u);
  EXPECT_EQ(restore("p1", o1), std::vector<std::string>{"none"});
}

TEST_F(StoreTest, PastThePacketCapTheOldestGoAndTheirSessionsAreNotRestored) {
  opts.max_stored_packets = 3;
  make();
  const auto o1 = emit("a");
  persist("p1");
  const auto o2 = emit("b");
  persist("p2");
  emit("c");
  emit("d");  // "a" goes
  EXPECT_EQ(store->packet_count(), 3u);
  EXPECT_EQ(restore("p1", o1), std::vector<std::string>{"none"});  // never a partial replay
  EXPECT_EQ(restore("p2", o2), (std::vector<std::string>{"c", "d"}));
}

TEST_F(StoreTest, PastTheSessionCapTheOldestGoes) {
  opts.max_sessions = 2;
  make();
  const auto o1 = emit("a");
  persist("p1");
  persist("p2");
  persist("p1");  // again: now the newest
  persist("p3");  // p2 goes
  EXPECT_EQ(store->session_count(), 2u);
  EXPECT_EQ(restore("p2", o1), std::vector<std::string>{"none"});
  EXPECT_EQ(restore("p1", o1), std::vector<std::string>{});
  EXPECT_EQ(restore("p3", o1), std::vector<std::string>{});
}

}  // namespace
}  // namespace sio::adapter
