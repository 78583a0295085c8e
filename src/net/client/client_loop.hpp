// The client's event loop: one Asio io_context, run by the thread that calls
// run() (or by a thread of its own, see start_thread()). No Asio types here:
// the io_context is forward-declared for the network code that needs it.
#pragma once

#include <chrono>
#include <memory>

#include "engine/loop.hpp"

namespace boost::asio {
class io_context;
}

namespace sio::net::client {

class ClientLoop final : public engine::Loop {
 public:
  ClientLoop();
  ~ClientLoop() override;  // joins the loop's own thread, if any
  ClientLoop(const ClientLoop&) = delete;
  ClientLoop& operator=(const ClientLoop&) = delete;

  void post(engine::Task t) override;
  void dispatch(engine::Task t) override;
  bool in_loop_thread() const override;
  TimerId start_timer(std::chrono::milliseconds after, engine::Task t) override;
  void cancel_timer(TimerId id) override;
  std::size_t index() const override { return 0; }

  // Runs handlers on the calling thread until stop().
  void run();
  // Runs the handlers that are ready, without blocking; returns how many ran.
  std::size_t poll();
  // Runs the loop on a thread of its own (at most one).
  void start_thread();
  // Makes run() return (and the own thread end) as soon as possible. Thread-safe.
  void stop();
  // Joins the loop's own thread (not from that thread).
  void join();
  bool stopped() const;

  boost::asio::io_context& context();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio::net::client
