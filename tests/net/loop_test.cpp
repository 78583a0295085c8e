// AsioLoop's timers (a slab of slots with generations under one Asio timer)
// and FdPoller (the loop's own edge-triggered epoll set), on a real
// io_context. Deadlines are 0-2 ms: the tests assert order and what runs,
// never how long anything took.
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "net/fd_poller.hpp"
#include "net/loop.hpp"

namespace sio::net {
namespace {

using std::chrono::milliseconds;

TEST(AsioLoopTimers, RunInDeadlineOrderAndCancelledOnesNever) {
  // Deadlines 20 ms apart, started within microseconds of each other: the
  // order is the deadlines', whatever the machine's speed.
  AsioLoop loop(0);
  std::string order;
  loop.start_timer(milliseconds(40), [&] { order += 'c'; });
  const auto cancelled = loop.start_timer(milliseconds(20), [&] { order += 'x'; });
  loop.start_timer(milliseconds(0), [&] { order += 'a'; });
  loop.start_timer(milliseconds(20), [&] { order += 'b'; });
  loop.cancel_timer(cancelled);
  loop.start_timer(milliseconds(60), [&] {
    order += 'd';
    loop.stop();
  });
  loop.run();
  EXPECT_EQ(order, "abcd");
}

TEST(AsioLoopTimers, AStaleIdDoesNotCancelTheTimerThatReusedItsSlot) {
  AsioLoop loop(0);
  bool first = false, second = false;
  const auto old_id = loop.start_timer(milliseconds(0), [&] { first = true; });
  loop.cancel_timer(old_id);
  const auto new_id = loop.start_timer(milliseconds(0), [&] { second = true; });
  EXPECT_NE(old_id, new_id);
  loop.cancel_timer(old_id);  // stale: must not touch the new timer
  loop.start_timer(milliseconds(1), [&] { loop.stop(); });
  loop.run();
  EXPECT_FALSE(first);
  EXPECT_TRUE(second);
}

TEST(AsioLoopTimers, ATaskMayStartAndCancelTimers) {
  AsioLoop loop(0);
  std::vector<int> ran;
  engine::Loop::TimerId victim = 0;
  loop.start_timer(milliseconds(0), [&] {
    ran.push_back(1);
    loop.cancel_timer(victim);
    loop.start_timer(milliseconds(0), [&] {
      ran.push_back(2);
      loop.stop();
    });
  });
  victim = loop.start_timer(milliseconds(1), [&] { ran.push_back(99); });
  loop.run();
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(AsioLoopTimers, SweepingCancelledTimersKeepsTheLiveOnesInOrder) {
  // Same delay for all: deadlines follow the order they were started in.
  AsioLoop loop(0);
  std::vector<int> ran;
  std::vector<engine::Loop::TimerId> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(loop.start_timer(milliseconds(0), [&ran, i] { ran.push_back(i); }));
  for (int i = 0; i < 300; ++i)
    if (i % 2) loop.cancel_timer(ids[i]);  // 150 cancelled: the sweep runs
  loop.start_timer(milliseconds(20), [&] { loop.stop(); });
  loop.run();
  ASSERT_EQ(ran.size(), 150u);
  for (std::size_t k = 0; k < ran.size(); ++k) EXPECT_EQ(ran[k], static_cast<int>(2 * k));
}

struct Recorder final : FdPoller::Watcher {
  std::vector<std::uint32_t> events;
  std::function<void()> then;
  void on_io(std::uint32_t e) override {
    events.push_back(e);
    if (then) then();
  }
};

struct Pair {
  int fd[2];
  Pair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd), 0); }
  ~Pair() {
    ::close(fd[0]);
    ::close(fd[1]);
  }
};

TEST(FdPoller, ReportsReadinessPresentAtRegistrationAndNewData) {
  AsioLoop loop(0);
  Pair p;
  ASSERT_EQ(::write(p.fd[1], "x", 1), 1);  // before registration
  Recorder r;
  int reads = 0;
  r.then = [&] {
    char buf[8];
    if (::read(p.fd[0], buf, sizeof buf) > 0 && ++reads == 2) loop.stop();
    if (reads == 1 && r.events.size() == 1) ASSERT_EQ(::write(p.fd[1], "y", 1), 1);
  };
  ASSERT_NE(loop.poller().add(p.fd[0], &r), 0u);
  loop.run();
  EXPECT_EQ(reads, 2);
  ASSERT_GE(r.events.size(), 2u);
  EXPECT_TRUE(r.events[0] & EPOLLIN);
  EXPECT_TRUE(r.events.back() & EPOLLIN);
}

TEST(FdPoller, ARemovedWatcherGetsNothingEvenFromTheSameBatch) {
  AsioLoop loop(0);
  Pair a, b, c;
  Recorder ra, rb, rc;
  FdPoller::Token tb = 0;
  // a and b are readable in the same batch. When a runs, it removes b (whose
  // event may already be fetched) and registers c, which may reuse b's slot;
  // b must never run after that, and c ends the test.
  ra.then = [&] {
    loop.poller().remove(b.fd[0], tb);
    ASSERT_NE(loop.poller().add(c.fd[0], &rc), 0u);
  };
  rb.then = [&] { EXPECT_TRUE(ra.events.empty()) << "b ran after its removal"; };
  rc.then = [&] { loop.stop(); };
  for (Pair* p : {&a, &b, &c}) ASSERT_EQ(::write(p->fd[1], "x", 1), 1);
  ASSERT_NE(loop.poller().add(a.fd[0], &ra), 0u);
  tb = loop.poller().add(b.fd[0], &rb);
  ASSERT_NE(tb, 0u);
  loop.run();
  EXPECT_EQ(ra.events.size(), 1u);
  EXPECT_LE(rb.events.size(), 1u);
  EXPECT_EQ(rc.events.size(), 1u);
}

TEST(FdPoller, AStaleTokenDoesNotRemoveTheRegistrationThatReusedItsSlot) {
  AsioLoop loop(0);
  Pair a, b;
  Recorder ra, rb;
  const auto ta = loop.poller().add(a.fd[0], &ra);
  loop.poller().remove(a.fd[0], ta);
  const auto tb = loop.poller().add(b.fd[0], &rb);
  EXPECT_NE(ta, tb);
  loop.poller().remove(b.fd[0], ta);  // stale
  rb.then = [&] { loop.stop(); };
  ASSERT_EQ(::write(b.fd[1], "x", 1), 1);
  loop.run();
  EXPECT_EQ(rb.events.size(), 1u);
  EXPECT_TRUE(ra.events.empty());
}

TEST(FdPoller, AForgottenFdClosedAtOnceLeavesTheSetWithoutASyscall) {
  AsioLoop loop(0);
  Pair a, b;
  Recorder ra, rb;
  ASSERT_EQ(::write(a.fd[1], "x", 1), 1);  // a is readable when forgotten
  const auto ta = loop.poller().add(a.fd[0], &ra);
  loop.poller().forget_closing(ta);
  ::close(a.fd[0]);
  a.fd[0] = ::open("/dev/null", O_RDONLY);  // keeps Pair's close() harmless
  const auto tb = loop.poller().add(b.fd[0], &rb);  // reuses a's slot
  EXPECT_NE(ta, tb);
  rb.then = [&] { loop.stop(); };
  ASSERT_EQ(::write(b.fd[1], "x", 1), 1);
  loop.run();
  EXPECT_TRUE(ra.events.empty());
  EXPECT_EQ(rb.events.size(), 1u);
}

}  // namespace
}  // namespace sio::net
