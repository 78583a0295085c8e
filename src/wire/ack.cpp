// sio::Ack (include/sio/ack.hpp): answers once, through the slot the server
// or the client made (wire/ack_slot.hpp).
#include <sio/ack.hpp>

#include "wire/ack_slot.hpp"

namespace sio {

bool Ack::pending() const { return slot_ && !slot_->sent.load(); }

void Ack::send(Args args) const {
  if (!slot_ || slot_->sent.exchange(true)) return;  // only the first answer goes out
  slot_->answer(slot_, std::move(args));
}

}  // namespace sio
