// sio-notify's Inbox: bounded per user and in users, read state per user.
#include "inbox.hpp"

#include <gtest/gtest.h>

namespace {

using notify::Inbox;

TEST(NotifyInbox, KeepsTheLastPerUserAndCountsUnread) {
  Inbox box({.per_user = 3, .max_users = 10});
  for (std::uint64_t id = 1; id <= 5; ++id) box.add("alice", id, "t" + std::to_string(id), "", 0);
  const auto& items = box.list("alice");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items.front().id, 3u);
  EXPECT_EQ(items.back().id, 5u);
  EXPECT_EQ(box.unread("alice"), 3u);
  EXPECT_EQ(box.mark_read("alice", 1), Inbox::Read::unknown);  // dropped as old
  EXPECT_EQ(box.mark_read("alice", 4), Inbox::Read::marked);
  EXPECT_EQ(box.mark_read("alice", 4), Inbox::Read::already);
  EXPECT_EQ(box.unread("alice"), 2u);
  EXPECT_EQ(box.mark_all_read("alice"), (std::vector<std::uint64_t>{3, 5}));
  EXPECT_EQ(box.unread("alice"), 0u);
  EXPECT_TRUE(box.mark_all_read("alice").empty());
}

TEST(NotifyInbox, UsersAreApart) {
  Inbox box({.per_user = 5, .max_users = 10});
  box.add("alice", 1, "a", "", 0);
  box.add("bob", 2, "b", "", 0);
  EXPECT_EQ(box.mark_read("bob", 1), Inbox::Read::unknown);  // alice's
  EXPECT_EQ(box.unread("alice"), 1u);
  EXPECT_EQ(box.mark_read("nobody", 1), Inbox::Read::unknown);
  EXPECT_TRUE(box.list("nobody").empty());
  EXPECT_EQ(box.unread("nobody"), 0u);
}

TEST(NotifyInbox, PastMaxUsersTheLeastRecentlyUsedIsForgotten) {
  Inbox box({.per_user = 5, .max_users = 3});
  box.add("a", 1, "x", "", 0);
  box.add("b", 2, "x", "", 0);
  box.add("c", 3, "x", "", 0);
  box.touch("a");  // a is used again: b is now the oldest
  box.add("d", 4, "x", "", 0);
  EXPECT_EQ(box.user_count(), 3u);
  EXPECT_TRUE(box.list("b").empty());
  EXPECT_EQ(box.list("a").size(), 1u);
  EXPECT_EQ(box.list("d").size(), 1u);
}

}  // namespace
