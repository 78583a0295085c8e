// Listening on N loops: one acceptor per loop on the same port (SO_REUSEPORT,
// the kernel spreads connections), and running the loops on N threads.
//
// Out of descriptors (EMFILE, ENFILE), accept() fails for as long as the
// backlog holds a connection: retried at once, it would spin. Instead each
// loop keeps one spare descriptor (/dev/null): it gives it up to accept and
// close what waits (the peers learn at once, rather than time out in the
// backlog), takes it back, and waits before accepting again (10 ms, doubling
// up to 1 s while the shortage lasts). The shortage is logged once when it
// starts and once when it ends.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "net/loop.hpp"

namespace sio::net {

class Listeners {
 public:
  // `peer`: the client's address, as accept() gave it.
  using OnAccept = std::function<void(std::size_t loop, boost::asio::ip::tcp::socket, const boost::asio::ip::tcp::endpoint& peer)>;

  // Binds at once (port 0: any free port, then the same one on every loop).
  Listeners(std::vector<std::unique_ptr<AsioLoop>>& loops, const std::string& host, std::uint16_t port);
  ~Listeners();
  Listeners(const Listeners&) = delete;
  Listeners& operator=(const Listeners&) = delete;
  std::uint16_t port() const noexcept { return port_; }

  void start(OnAccept on_accept);      // accepts on every loop
  void close(std::size_t loop_index);  // loop thread only

  // What accept() did, summed over the loops (relaxed: for tests and metrics).
  struct Counters {
    std::atomic<std::uint64_t> accepted{0};  // connections handed to on_accept
    std::atomic<std::uint64_t> failed{0};    // accept() calls that failed (any error)
    std::atomic<std::uint64_t> refused{0};   // accepted and closed at once: out of descriptors
  };
  const Counters& counters() const noexcept { return counters_; }

 private:
  // One loop's acceptor and its state (touched on that loop's thread only).
  struct PerLoop {
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
    boost::asio::ip::tcp::endpoint peer;    // filled by the pending accept
    int spare_fd = -1;                      // given up to refuse connections when out of descriptors
    engine::Loop::TimerId retry_timer = 0;  // accepting again after a failure
    std::chrono::milliseconds backoff{0};   // the last wait; 0: the last accept() worked
    bool short_of_descriptors = false;
  };

  void accept(std::size_t i);
  void on_failure(std::size_t i, const boost::system::error_code& ec);
  void refuse_waiting(PerLoop& l);
  void shortage(PerLoop& l, bool now, const boost::system::error_code& ec);

  std::vector<std::unique_ptr<AsioLoop>>& loops_;
  std::vector<PerLoop> per_loop_;
  OnAccept on_accept_;
  Counters counters_;
  std::atomic<int> loops_short_{0};  // loops out of descriptors now (logs once per episode)
  std::uint16_t port_ = 0;
};

// Runs loops 1..N-1 on new threads and loop 0 on the caller's; returns when all stop.
void run_loops(std::vector<std::unique_ptr<AsioLoop>>& loops);

}  // namespace sio::net
