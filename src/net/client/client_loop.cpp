#include "net/client/client_loop.hpp"

#include <atomic>
#include <thread>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sio::net::client {

namespace asio = boost::asio;

struct ClientLoop::Impl {
  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{asio::make_work_guard(ctx)};
  std::atomic<std::thread::id> runner{};  // the thread running handlers now
  std::thread own;                        // start_thread()
  TimerId next_timer = 1;
  std::unordered_map<TimerId, std::unique_ptr<asio::steady_timer>> timers;
};

ClientLoop::ClientLoop() : impl_(std::make_unique<Impl>()) {}

ClientLoop::~ClientLoop() {
  stop();
  join();
  // Handlers still queued are destroyed with the io_context, never run.
}

void ClientLoop::post(engine::Task t) { asio::post(impl_->ctx, std::move(t)); }

void ClientLoop::dispatch(engine::Task t) {
  if (in_loop_thread()) {
    t();
  } else {
    post(std::move(t));
  }
}

bool ClientLoop::in_loop_thread() const { return impl_->runner.load() == std::this_thread::get_id(); }

engine::Loop::TimerId ClientLoop::start_timer(std::chrono::milliseconds after, engine::Task t) {
  const TimerId id = impl_->next_timer++;
  auto timer = std::make_unique<asio::steady_timer>(impl_->ctx, after);
  timer->async_wait([impl = impl_.get(), id, t = std::move(t)](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled
    impl->timers.erase(id);
    t();
  });
  impl_->timers.emplace(id, std::move(timer));
  return id;
}

void ClientLoop::cancel_timer(TimerId id) {
  auto it = impl_->timers.find(id);
  if (it == impl_->timers.end()) return;
  it->second->cancel();  // its handler still runs, with operation_aborted
  impl_->timers.erase(it);
}

void ClientLoop::run() {
  const auto previous = impl_->runner.exchange(std::this_thread::get_id());
  impl_->ctx.run();
  impl_->runner.store(previous);
}

std::size_t ClientLoop::poll() {
  const auto previous = impl_->runner.exchange(std::this_thread::get_id());
  const std::size_t n = impl_->ctx.poll();
  impl_->runner.store(previous);
  return n;
}

void ClientLoop::start_thread() {
  if (impl_->own.joinable()) return;
  impl_->own = std::thread([this] { run(); });
}

void ClientLoop::stop() {
  impl_->work.reset();
  impl_->ctx.stop();
}

void ClientLoop::join() {
  if (impl_->own.joinable() && impl_->own.get_id() != std::this_thread::get_id()) impl_->own.join();
}

bool ClientLoop::stopped() const { return impl_->ctx.stopped(); }

asio::io_context& ClientLoop::context() { return impl_->ctx; }

}  // namespace sio::net::client
