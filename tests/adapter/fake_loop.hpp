// An engine::Loop driven by the test: posted tasks wait in a queue until the
// test runs them, timers fire when the test advances the clock. "The loop's
// thread" is whichever loop is running a task (or was entered with enter()),
// so code that checks in_loop_thread() behaves as with real threads, and
// several FakeLoops model a multi-loop server on one thread, deterministically.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "engine/loop.hpp"

namespace sio::test {

class FakeLoop final : public engine::Loop {
 public:
  explicit FakeLoop(std::size_t index = 0) : index_(index) {}

  void post(engine::Task t) override { queue_.push_back(std::move(t)); }
  void dispatch(engine::Task t) override {
    if (in_loop_thread()) {
      t();
    } else {
      post(std::move(t));
    }
  }
  bool in_loop_thread() const override { return current() == this; }
  TimerId start_timer(std::chrono::milliseconds after, engine::Task t) override {
    const TimerId id = ++last_timer_;
    timers_.emplace(id, Timer{now_ + after, std::move(t)});
    return id;
  }
  void cancel_timer(TimerId id) override { timers_.erase(id); }
  std::size_t index() const override { return index_; }

  // Runs `fn` as this loop's thread.
  template <class F>
  decltype(auto) enter(F&& fn) {
    Enter guard(this);
    return fn();
  }
  // Runs queued tasks (and those they queue) until none is left.
  std::size_t run() {
    std::size_t n = 0;
    while (!queue_.empty()) {
      engine::Task t = std::move(queue_.front());
      queue_.pop_front();
      enter(t);
      ++n;
    }
    return n;
  }
  // Moves the clock by `d`, firing due timers in time order (and running the
  // tasks they post).
  void advance(std::chrono::milliseconds d) {
    const auto until = now_ + d;
    for (;;) {
      run();
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.at <= until && (next == timers_.end() || it->second.at < next->second.at)) next = it;
      if (next == timers_.end()) break;
      now_ = next->second.at;
      engine::Task t = std::move(next->second.fn);
      timers_.erase(next);
      enter(t);
    }
    now_ = until;
  }
  std::size_t pending_tasks() const { return queue_.size(); }
  std::size_t pending_timers() const { return timers_.size(); }

 private:
  struct Timer {
    std::chrono::milliseconds at;
    engine::Task fn;
  };
  struct Enter {
    explicit Enter(FakeLoop* l) : prev(current()) { current() = l; }
    ~Enter() { current() = prev; }
    FakeLoop* prev;
  };
  static FakeLoop*& current() {
    thread_local FakeLoop* c = nullptr;
    return c;
  }

  std::size_t index_;
  std::deque<engine::Task> queue_;
  std::map<TimerId, Timer> timers_;
  TimerId last_timer_ = 0;
  std::chrono::milliseconds now_{0};
};

// Runs every loop until all are idle (tasks may post to other loops).
inline void run_all(const std::vector<FakeLoop*>& loops) {
  for (bool busy = true; busy;) {
    busy = false;
    for (auto* l : loops) busy |= l->run() > 0;
  }
}

}  // namespace sio::test
