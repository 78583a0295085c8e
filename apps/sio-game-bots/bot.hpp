// One bot: a sio::Client that joins a sio-game room, heads for the nearest
// coin on every snapshot, and measures what it gets (snapshots, round trips).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sio/client.hpp>

namespace bots {

using Clock = std::chrono::steady_clock;

struct BotConfig {
  std::string url;
  std::string room;
  std::string name;
  double max_inputs_per_second = 10;  // the server allows 30
};

class Bot {
 public:
  explicit Bot(BotConfig config);
  ~Bot();
  Bot(const Bot&) = delete;
  Bot& operator=(const Bot&) = delete;

  void ping();  // one "ping" with an ack; the round trip joins rtts()

  bool joined() const { return player_.load() != 0; }
  std::uint64_t snapshots() const { return snapshots_.load(); }
  std::uint64_t inputs() const { return inputs_.load(); }
  std::vector<double> take_rtts();  // milliseconds, since the last call

 private:
  void join();
  void on_state(const boost::json::value& state);

  BotConfig config_;
  std::unique_ptr<sio::Client> client_;
  sio::ClientSocket* socket_ = nullptr;
  // Touched on the client's loop only.
  std::string token_;
  std::uint32_t seq_ = 0;
  int dx_ = 0, dy_ = 0;
  Clock::time_point last_input_{};
  // Read from the main thread.
  std::atomic<std::uint32_t> player_{0};
  std::atomic<std::uint64_t> snapshots_{0};
  std::atomic<std::uint64_t> inputs_{0};
  std::mutex rtt_mutex_;
  std::vector<double> rtts_;
};

}  // namespace bots
