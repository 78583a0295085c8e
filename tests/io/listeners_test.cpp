// ListenerList: order, ids, names, once-listeners, and changes made by a
// listener while the list is being called (Node's EventEmitter semantics:
// the round runs over the listeners it started with).
#include "io/listeners.hpp"

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sio::io {
namespace {

using List = ListenerList<std::function<void(std::vector<std::string>&)>>;

auto log_as(std::string what) {
  return [what](std::vector<std::string>& log) { log.push_back(what); };
}

std::vector<std::string> call_named(List& l, std::string_view name) {
  std::vector<std::string> log;
  l.call_named(name, log);
  return log;
}

TEST(Listeners, NamedListenersInOrderAndRemovedByIdOrName) {
  List l;
  EXPECT_TRUE(l.empty());
  l.add(1, log_as("a1"), false, "a");
  l.add(2, log_as("b2"), false, "b");
  l.add(3, log_as("a3"), false, "a");
  EXPECT_EQ(l.size(), 3u);
  EXPECT_EQ(call_named(l, "a"), (std::vector<std::string>{"a1", "a3"}));
  const std::string b = "b";
  EXPECT_FALSE(l.remove(1, &b));  // id 1 is not a "b" listener
  EXPECT_TRUE(l.remove(1));
  EXPECT_FALSE(l.remove(1));
  EXPECT_EQ(call_named(l, "a"), (std::vector<std::string>{"a3"}));
  l.remove_named("a");
  EXPECT_EQ(l.size(), 1u);
  EXPECT_EQ(call_named(l, "b"), (std::vector<std::string>{"b2"}));
  l.remove_named("b");
  EXPECT_TRUE(l.empty());
}

TEST(Listeners, OnceListenersRunOnce) {
  List l;
  l.add(1, log_as("once"), true);
  l.add(2, log_as("always"));
  std::vector<std::string> log;
  l.call(log);
  l.call(log);
  EXPECT_EQ(log, (std::vector<std::string>{"once", "always", "always"}));
}

TEST(Listeners, ChangesDuringACallApplyFromTheNextRound) {
  List l;
  l.add(1, [&l](std::vector<std::string>& log) {
    log.push_back("first");
    l.remove(2);                // still called in this round
    l.add(3, log_as("added"));  // not in this round
  });
  l.add(2, log_as("second"));
  std::vector<std::string> log;
  l.call(log);
  EXPECT_EQ(log, (std::vector<std::string>{"first", "second"}));
  log.clear();
  l.call(log);  // the one added in the first round (this round adds another)
  EXPECT_EQ(log, (std::vector<std::string>{"first", "added"}));
}

TEST(Listeners, ClearDuringACallFinishesTheRound) {
  List l;
  // a capture too big for std::function's inline buffer: ASan sees a use after free
  const std::string big(100, 'x');
  l.add(1, [&l, big](std::vector<std::string>& log) {
    l.clear();
    log.push_back(big.substr(0, 2));  // this listener's captures are still alive
  });
  l.add(2, log_as("second"));
  std::vector<std::string> log;
  l.call(log);
  EXPECT_EQ(log, (std::vector<std::string>{"xx", "second"}));
  EXPECT_TRUE(l.empty());
  log.clear();
  l.call(log);
  EXPECT_TRUE(log.empty());
}

TEST(Listeners, AListenerRemovingItselfKeepsRunning) {
  List l;
  const std::string big(100, 'y');
  l.add(7, [&l, big](std::vector<std::string>& log) {
    l.remove(7);
    l.add(8, log_as("later"));
    log.push_back(big.substr(0, 1));
  });
  std::vector<std::string> log;
  l.call(log);
  l.call(log);
  EXPECT_EQ(log, (std::vector<std::string>{"y", "later"}));
}

TEST(Listeners, ManyListenersKeepTheirOrderAcrossGrowthAndRemoval) {
  List l;
  for (int i = 0; i < 40; ++i) l.add(static_cast<std::uint64_t>(i), log_as(std::to_string(i)), false, i % 2 ? "odd" : "even");
  for (int i = 0; i < 40; i += 4) l.remove(static_cast<std::uint64_t>(i));
  std::vector<std::string> expected;
  for (int i = 2; i < 40; i += 4) expected.push_back(std::to_string(i));
  EXPECT_EQ(call_named(l, "even"), expected);
  EXPECT_EQ(l.size(), 30u);
  l.remove_named("odd");
  EXPECT_EQ(l.size(), 10u);
}

}  // namespace
}  // namespace sio::io
