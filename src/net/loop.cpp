#include "net/loop.hpp"

#include <algorithm>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace sio::net {

AsioLoop::AsioLoop(std::size_t index)
    : index_(index), work_(asio::make_work_guard(ctx_)), read_buffer_(64 * 1024) {}

AsioLoop::~AsioLoop() {
  // Timer tasks go first, while the poller and the rest still stand: one may
  // hold the last reference to what it times (a closing WebSocket keeps
  // itself through its grace timer), whose destructor leaves the poller's set
  // and cancels its timers (no-ops on the emptied map).
  auto tasks = std::move(tasks_);
  tasks_ = {};
  heap_.clear();
}

void AsioLoop::post(engine::Task t) { asio::post(ctx_, std::move(t)); }

void AsioLoop::dispatch(engine::Task t) {
  if (in_loop_thread()) {
    t();
  } else {
    asio::post(ctx_, std::move(t));
  }
}

bool AsioLoop::in_loop_thread() const { return thread_id_.load() == std::this_thread::get_id(); }

namespace {
struct Later {  // std::push_heap builds a max-heap: invert for the earliest first
  template <class E>
  bool operator()(const E& a, const E& b) const noexcept {
    return a.deadline > b.deadline || (a.deadline == b.deadline && a.id > b.id);
  }
};
}  // namespace

engine::Loop::TimerId AsioLoop::start_timer(std::chrono::milliseconds after, engine::Task t) {
  const TimerId id = tasks_.insert(std::move(t));
  const auto deadline = std::chrono::steady_clock::now() + after;
  heap_.push_back({deadline, id});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  if (deadline < armed_for_) arm_wake();
  return id;
}

void AsioLoop::cancel_timer(TimerId id) {
  if (!tasks_.erase(id)) return;
  // Its heap entry is stale now. Cancelled timers (a handshake's request
  // timeout, a namespace's connect timeout) would otherwise stay in the heap
  // until their deadline: once they are half of it, sweep them out.
  if (++stale_ > 64 && stale_ * 2 > heap_.size()) drop_stale_entries();
}

void AsioLoop::drop_stale_entries() {
  std::erase_if(heap_, [this](const Entry& e) { return !tasks_.contains(e.id); });
  std::make_heap(heap_.begin(), heap_.end(), Later{});
  stale_ = 0;
}

void AsioLoop::arm_wake() {
  // Drop stale entries from the top, then wait for the earliest live one.
  while (!heap_.empty() && !tasks_.contains(heap_.front().id)) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
    if (stale_) --stale_;
  }
  if (heap_.empty()) {
    armed_for_ = std::chrono::steady_clock::time_point::max();
    wake_.cancel();
    if (heap_.capacity() > 64) heap_.shrink_to_fit();
    return;
  }
  armed_for_ = heap_.front().deadline;
  wake_.expires_at(armed_for_);
  wake_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) on_wake();
  });
}

void AsioLoop::on_wake() {
  armed_for_ = std::chrono::steady_clock::time_point::max();
  const auto now = std::chrono::steady_clock::now();
  while (!heap_.empty() && heap_.front().deadline <= now) {
    const TimerId id = heap_.front().id;
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
    engine::Task* task = tasks_.find(id);
    if (!task) {  // cancelled
      if (stale_) --stale_;
      continue;
    }
    engine::Task t = std::move(*task);
    tasks_.erase(id);  // before the task may start others
    t();               // may start or cancel timers
  }
  if (armed_for_ == std::chrono::steady_clock::time_point::max()) arm_wake();
}

FdPoller& AsioLoop::poller() {
  if (!poller_) poller_ = std::make_unique<FdPoller>(ctx_);
  return *poller_;
}

void AsioLoop::mark_thread() { thread_id_.store(std::this_thread::get_id()); }

void AsioLoop::run() {
  mark_thread();
  ctx_.run();
}

void AsioLoop::stop() {
  work_.reset();
  ctx_.stop();
}

}  // namespace sio::net
