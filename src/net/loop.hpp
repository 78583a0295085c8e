// One Asio io_context run by one thread: the engine::Loop that the layers
// above see. Internal to net/ (Asio types are fine here, never in include/).
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "engine/loop.hpp"
#include "net/fd_poller.hpp"
#include "net/slot_map.hpp"

namespace sio::net {

namespace asio = boost::asio;

class AsioLoop final : public engine::Loop {
 public:
  explicit AsioLoop(std::size_t index);
  ~AsioLoop() override;

  asio::io_context& context() noexcept { return ctx_; }

  void post(engine::Task t) override;
  void dispatch(engine::Task t) override;
  bool in_loop_thread() const override;
  TimerId start_timer(std::chrono::milliseconds after, engine::Task t) override;
  void cancel_timer(TimerId id) override;
  std::size_t index() const override { return index_; }

  // A scratch buffer shared by every connection of this loop: sockets read
  // into it and keep only what they could not consume (idle sockets hold no
  // read buffer).
  std::vector<char>& read_buffer() noexcept { return read_buffer_; }
  // The loop's epoll set for WebSockets (created on first use).
  FdPoller& poller();

  // Runs the loop on the calling thread until stop().
  void run();
  void stop();
  void mark_thread();  // the calling thread now runs this loop

 private:
  std::size_t index_;
  asio::io_context ctx_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  void arm_wake();
  void on_wake();

  std::atomic<std::thread::id> thread_id_{};
  // Timers: one Asio timer per loop wakes for the earliest deadline of a
  // min-heap. A timer's task sits in a SlotMap, whose ids stay unique across
  // reuse of a slot, so a cancelled timer's heap entry goes stale (skipped
  // when it comes up). A session's heartbeat thus costs a heap entry and a
  // slot, not an Asio timer or a map node.
  struct Entry {
    std::chrono::steady_clock::time_point deadline;
    TimerId id;
  };
  void drop_stale_entries();
  std::vector<Entry> heap_;
  std::size_t stale_ = 0;  // entries of heap_ whose timer was cancelled
  SlotMap<engine::Task> tasks_;
  asio::steady_timer wake_{ctx_};
  std::chrono::steady_clock::time_point armed_for_ = std::chrono::steady_clock::time_point::max();
  std::vector<char> read_buffer_;
  std::unique_ptr<FdPoller> poller_;  // after ctx_: destroyed before it
};

}  // namespace sio::net
