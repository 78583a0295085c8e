#include "net/loop.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace sio::net {

AsioLoop::AsioLoop(std::size_t index)
    : index_(index), work_(asio::make_work_guard(ctx_)), read_buffer_(64 * 1024) {}

AsioLoop::~AsioLoop() = default;

void AsioLoop::post(engine::Task t) { asio::post(ctx_, std::move(t)); }

void AsioLoop::dispatch(engine::Task t) {
  if (in_loop_thread()) {
    t();
  } else {
    asio::post(ctx_, std::move(t));
  }
}

bool AsioLoop::in_loop_thread() const { return thread_id_.load() == std::this_thread::get_id(); }

engine::Loop::TimerId AsioLoop::start_timer(std::chrono::milliseconds after, engine::Task t) {
  const TimerId id = next_timer_++;
  auto timer = std::make_unique<asio::steady_timer>(ctx_, after);
  timer->async_wait([this, id, t = std::move(t)](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled
    timers_.erase(id);
    t();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void AsioLoop::cancel_timer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->cancel();
  timers_.erase(it);  // the handler still runs (operation_aborted) and does nothing
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
