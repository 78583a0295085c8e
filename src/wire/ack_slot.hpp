// What sio::Ack (include/sio/ack.hpp) points to: a one-shot way to answer an
// event. The server (io/ack_slot.hpp) and the client (client/client_impl.hpp)
// each derive their own: where the answer goes is theirs, answering once is
// Ack's (wire/ack.cpp).
#pragma once

#include <atomic>
#include <memory>

#include <sio/payload.hpp>

namespace sio::detail {

struct AckSlot {
  virtual ~AckSlot() = default;
  // Called once, by the first Ack::send(), on the answering thread; `self` is
  // this slot, for an answer that must hop to another thread.
  virtual void answer(std::shared_ptr<AckSlot> self, Args args) = 0;

  std::atomic<bool> sent{false};
};

}  // namespace sio::detail
