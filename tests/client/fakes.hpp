// Test doubles for the client: a loop with a hand-driven clock, and an engine
// connector whose links the test opens, feeds and closes.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/loop.hpp"
#include "net/client/engine_link.hpp"

namespace sio::client::test {

class FakeLoop final : public engine::Loop {
 public:
  void post(engine::Task t) override { posted_.push_back(std::move(t)); }
  void dispatch(engine::Task t) override { t(); }
  bool in_loop_thread() const override { return true; }
  TimerId start_timer(std::chrono::milliseconds after, engine::Task t) override {
    const TimerId id = next_++;
    timers_[id] = {now_ + after, std::move(t)};
    started.push_back(after);
    return id;
  }
  void cancel_timer(TimerId id) override { timers_.erase(id); }
  std::size_t index() const override { return 0; }

  // Moves the clock forward, firing due timers in order of their deadlines.
  void advance(std::chrono::milliseconds d) {
    const auto until = now_ + d;
    for (;;) {
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it) {
        if (it->second.first <= until && (next == timers_.end() || it->second.first < next->second.first)) next = it;
      }
      if (next == timers_.end()) break;
      now_ = next->second.first;
      auto task = std::move(next->second.second);
      timers_.erase(next);
      task();
    }
    now_ = until;
  }
  void run_posted() {
    while (!posted_.empty()) {
      auto t = std::move(posted_.front());
      posted_.erase(posted_.begin());
      t();
    }
  }
  std::size_t pending_timers() const { return timers_.size(); }

  std::vector<std::chrono::milliseconds> started;  // every timer armed, in order

 private:
  std::chrono::milliseconds now_{0};
  TimerId next_ = 1;
  std::map<TimerId, std::pair<std::chrono::milliseconds, engine::Task>> timers_;
  std::vector<engine::Task> posted_;
};

// One connection attempt as the test sees it (kept alive by the connector, so
// the test may look at it after the manager let go).
struct FakeLink {
  net::client::EngineListener* listener = nullptr;
  std::vector<std::pair<std::string, bool>> sent;
  bool is_writable = true;
  bool closed = false;     // close() was called, or the handle was destroyed

  // --- the test plays the server ---
  void open() { listener->on_open({"sid", {}, std::chrono::milliseconds(25000), std::chrono::milliseconds(20000), 0}); }
  void message(std::string_view d, bool binary = false) { listener->on_message(d, binary); }
  void drop(engine::CloseReason r = engine::CloseReason::transport_close) {
    closed = true;
    listener->on_close(r, "");
  }
  void fail(std::string_view why) {
    closed = true;
    listener->on_close(engine::CloseReason::transport_error, why);
  }
  std::vector<std::string> texts() const {
    std::vector<std::string> r;
    for (const auto& [d, b] : sent)
      if (!b) r.push_back(d);
    return r;
  }
};

class FakeLinkHandle final : public net::client::EngineLink {
 public:
  explicit FakeLinkHandle(std::shared_ptr<FakeLink> l) : l_(std::move(l)) {}
  ~FakeLinkHandle() override { l_->closed = true; }
  void send(std::string_view data, bool binary) override {
    if (!l_->closed) l_->sent.emplace_back(std::string(data), binary);
  }
  bool writable() const override { return l_->is_writable && !l_->closed; }
  void close(std::function<void()> on_finished) override {
    l_->closed = true;
    if (on_finished) on_finished();
  }
  std::string_view transport_name() const override { return "fake"; }

 private:
  std::shared_ptr<FakeLink> l_;
};

struct FakeConnector final : net::client::EngineConnector {
  std::vector<std::shared_ptr<FakeLink>> links;
  std::unique_ptr<net::client::EngineLink> connect(net::client::EngineListener& l) override {
    auto link = std::make_shared<FakeLink>();
    link->listener = &l;
    links.push_back(link);
    return std::make_unique<FakeLinkHandle>(link);
  }
  FakeLink& last() { return *links.back(); }
};

}  // namespace sio::client::test
