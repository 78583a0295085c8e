// Listening on N loops: one acceptor per loop on the same port (SO_REUSEPORT,
// the kernel spreads connections), and running the loops on N threads.
#pragma once

#include <atomic>
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
  std::uint16_t port() const noexcept { return port_; }

  void start(OnAccept on_accept);      // accepts on every loop
  void close(std::size_t loop_index);  // loop thread only

  // What accept() did, summed over the loops (relaxed: for tests and metrics).
  struct Counters {
    std::atomic<std::uint64_t> accepted{0};  // connections handed to on_accept
    std::atomic<std::uint64_t> failed{0};    // accept() calls that failed (any error)
  };
  const Counters& counters() const noexcept { return counters_; }

 private:
  void accept(std::size_t i);

  std::vector<std::unique_ptr<AsioLoop>>& loops_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  std::vector<boost::asio::ip::tcp::endpoint> peers_;  // filled by each acceptor's pending accept
  OnAccept on_accept_;
  Counters counters_;
  std::uint16_t port_ = 0;
};

// Runs loops 1..N-1 on new threads and loop 0 on the caller's; returns when all stop.
void run_loops(std::vector<std::unique_ptr<AsioLoop>>& loops);

}  // namespace sio::net
