// sio::Event and sio::Ack (include/sio/event.hpp, include/sio/ack.hpp).
#include <sio/ack.hpp>
#include <sio/event.hpp>

#include "io/ack_slot.hpp"

namespace sio {

const Payload& Event::arg(std::size_t i) const noexcept {
  static const Payload none;
  return i < args_.size() ? args_[i] : none;
}

bool Ack::pending() const { return slot_ && !slot_->sent.load(); }

void Ack::send(Args args) const {
  if (!slot_ || slot_->sent.exchange(true)) return;
  if (!slot_->loop) {
    slot_->answer(std::move(args));
    return;
  }
  slot_->loop->dispatch([slot = slot_, args = std::move(args)]() mutable { slot->answer(std::move(args)); });
}

}  // namespace sio
