// Gathers the acknowledgements of a broadcast (socket.io's
// BroadcastOperator.emit with a callback): every server reports how many
// clients got the packet, every client may answer; done when every server
// has reported and that many answers have come, or when the timeout fires
// (the error, with the answers so far). Its state lives on one loop (the
// caller's): reports may come from any thread and are posted there.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <sio/emit.hpp>

#include "engine/loop.hpp"

namespace sio::io {

class BroadcastAcks : public std::enable_shared_from_this<BroadcastAcks> {
 public:
  static std::shared_ptr<BroadcastAcks> start(engine::Loop& home, std::chrono::milliseconds timeout,
                                              BroadcastAckCallback cb);
  // Thread-safe.
  void server_count(std::size_t n);
  void client_count(std::size_t n);
  void reply(Args a);

  BroadcastAcks(engine::Loop& home, BroadcastAckCallback cb) : home_(home), cb_(std::move(cb)) {}

 private:
  void check();
  void finish(std::error_code ec);

  engine::Loop& home_;
  BroadcastAckCallback cb_;
  engine::Loop::TimerId timer_ = 0;
  bool done_ = false;
  std::size_t expected_servers_ = 0;
  bool servers_known_ = false;
  std::size_t servers_ = 0;
  std::size_t clients_ = 0;
  std::vector<Args> replies_;
};

}  // namespace sio::io
