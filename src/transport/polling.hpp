// The long-polling transport's state, sans I/O: outgoing messages wait until a
// GET is pending; then every waiting message goes out in one payload (joined
// with \x1e, binary as "b" + base64). At most one GET may wait at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/connection.hpp"

namespace sio::transport {

// How a payload is written: protocol 4 (\x1e-separated), or protocol 3's text
// ("<len>:" items) or binary (application/octet-stream) form (wire/eio3_payload.hpp).
enum class PayloadFormat : std::uint8_t { v4, v3_text, v3_binary };

class Polling {
 public:
  explicit Polling(std::size_t max_buffered) : max_buffered_(max_buffered) {}

  // A GET arrived. False: another one is already waiting (an overlap, which
  // the caller treats as a transport error).
  bool on_get() {
    if (get_pending_) return false;
    get_pending_ = true;
    return true;
  }
  // The waiting GET went away without an answer.
  void on_get_aborted() { get_pending_ = false; }
  bool get_pending() const noexcept { return get_pending_; }

  // Queues a message. False: the queue would pass max_buffered (the peer
  // does not poll); the queue is dropped.
  bool push(const engine::OutMessage& m);

  // A GET waits and there is something to send.
  bool ready() const noexcept { return get_pending_ && !queue_.empty(); }
  // Nothing would wait behind a message sent now.
  bool writable() const noexcept { return get_pending_ && queue_.empty(); }

  // The payload that answers the waiting GET; the queue empties.
  std::string take_payload(PayloadFormat format = PayloadFormat::v4);
  // A binary message waits (protocol 3 picks the binary payload form then).
  bool has_binary() const noexcept;
  // A message emitted with compress on waits: the payload may be compressed
  // (engine.io compresses a response when any of its packets allows it).
  bool compressible() const noexcept;
  // The queued messages, for the transport that replaces this one.
  std::vector<engine::OutMessage> take_queue();

  std::size_t queued_bytes() const noexcept { return bytes_; }
  std::size_t queued() const noexcept { return queue_.size(); }

 private:
  std::size_t max_buffered_;
  std::vector<engine::OutMessage> queue_;
  std::size_t bytes_ = 0;
  bool get_pending_ = false;
};

}  // namespace sio::transport
