// sio-notify's Inbox: bounded per user and in users, read state per user.
#include "inbox.hpp"

#include <gtest/gtest.h>

namespace {

using notify::Inbox;

std::shared_ptr<const notify::Content> content(std::string title) {
  return std::make_shared<const notify::Content>(notify::Content{std::move(title), "", 0});
}

TEST(NotifyInbox, KeepsTheLastPerUserAndCountsUnread) {
  Inbox box({.per_user = 3, .max_users = 10});
  for (std::uint64_t id = 1; id <= 5; ++id) box.add("alice", id, content("t" + std::to_string(id)));
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
  box.add("alice", 1, content("a"));
  box.add("bob", 2, content("b"));
  EXPECT_EQ(box.mark_read("bob", 1), Inbox::Read::unknown);  // alice's
  EXPECT_EQ(box.unread("alice"), 1u);
  EXPECT_EQ(box.mark_read("nobody", 1), Inbox::Read::unknown);
  EXPECT_TRUE(box.list("nobody").empty());
  EXPECT_EQ(box.unread("nobody"), 0u);
}

TEST(NotifyInbox, PastMaxUsersTheLeastRecentlyUsedIsForgotten) {
  Inbox box({.per_user = 5, .max_users = 3});
  box.add("a", 1, content("x"));
  box.add("b", 2, content("x"));
  box.add("c", 3, content("x"));
  box.touch("a");  // a is used again: b is now the oldest
  box.add("d", 4, content("x"));
  EXPECT_EQ(box.user_count(), 3u);
  EXPECT_TRUE(box.list("b").empty());
  EXPECT_EQ(box.list("a").size(), 1u);
  EXPECT_EQ(box.list("d").size(), 1u);
}

}  // namespace
