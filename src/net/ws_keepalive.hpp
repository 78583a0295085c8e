// The plain WebSocket server's watchdog (sio::ws::ServerOptions), sans I/O:
// its owner calls tick() when the delay that the last call (or start())
// returned has passed, with what the connection saw meanwhile; the answer says
// what to do and when to call again. One timer per connection, no clock here.
//
//  - Silence: when nothing arrived for ping_interval (as seen at the ticks),
//    a ping goes out; when nothing (a pong or anything else) arrives within
//    ping_timeout after it, the connection is to be closed. A connection that
//    keeps sending is never pinged.
//  - Slow messages: a message (or frame header) seen arriving at a tick must
//    be whole within message_timeout of that tick. The ticks come at least
//    every quarter of message_timeout, so a message is closed between
//    message_timeout and 1.25 x message_timeout after it began, whatever
//    else (pongs, bytes of it) arrives meanwhile.
#pragma once

#include <chrono>
#include <cstdint>

namespace sio::net {

class WsKeepAlive {
 public:
  using ms = std::chrono::milliseconds;
  struct Config {
    ms ping_interval{0};    // 0: no pings, silence is fine
    ms ping_timeout{0};
    ms message_timeout{0};  // 0: a message may take any time
  };
  enum class Verdict : std::uint8_t {
    none,
    ping,          // send a ping
    silent,        // no answer to the ping: close
    slow_message,  // a message did not end in time: close
  };
  struct Step {
    Verdict verdict = Verdict::none;
    ms next{0};  // call tick() after this; 0: never again
  };

  // `cfg` is shared by the server's connections and outlives them.
  explicit WsKeepAlive(const Config& cfg) noexcept : cfg_(cfg) {}

  // The first delay; 0: nothing to watch.
  ms start() noexcept;
  // `active`: bytes arrived since the last tick; `receiving`: a message or
  // frame header is under way now; `messages`: messages received so far.
  Step tick(bool active, bool receiving, std::uint64_t messages) noexcept;

 private:
  ms next_delay() const noexcept;

  const Config& cfg_;
  ms last_{0};         // the delay before this tick
  ms silent_for_{0};   // since activity was last seen
  ms waited_{0};       // since the ping, while awaiting_pong_
  ms message_age_{0};  // since the message under way was first seen
  std::uint64_t message_mark_ = 0;  // `messages` when it was first seen
  bool awaiting_pong_ = false;
  bool in_message_ = false;
};

}  // namespace sio::net
