// Reconnection delays: exponential backoff with randomisation, as the JS
// client's Manager uses it. attempt n waits min * factor^n, moved by up to
// +/- jitter of itself, and never more than max.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace sio::client {

class Backoff {
 public:
  // A number in [0, 1). Injected so tests choose the randomness.
  using Random = std::function<double()>;

  struct Params {
    std::chrono::milliseconds min{1000};  // 1 s: socket.io-client's reconnectionDelay
    std::chrono::milliseconds max{5000};  // 5 s: socket.io-client's reconnectionDelayMax
    double factor = 2.0;                  // doubling, as in socket.io-client
    double jitter = 0.5;                  // 0.5: socket.io-client's randomizationFactor
  };

  explicit Backoff(Params p, Random random = {});

  // The delay before the next attempt; counts the attempt.
  std::chrono::milliseconds next();
  // Attempts counted since the last reset.
  std::uint32_t attempts() const noexcept { return attempts_; }
  void reset() noexcept { attempts_ = 0; }

  const Params& params() const noexcept { return p_; }

 private:
  Params p_;
  Random random_;
  std::uint32_t attempts_ = 0;
};

}  // namespace sio::client
