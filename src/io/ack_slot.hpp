// The server's sio::Ack slot: the answer runs on the loop that owns its
// target (a socket's loop), or inline when there is none (a server-side emit).
#pragma once

#include <functional>
#include <memory>

#include <sio/payload.hpp>

#include "engine/loop.hpp"
#include "wire/ack_slot.hpp"

namespace sio::io {

struct AckSlot final : detail::AckSlot {
  engine::Loop* loop = nullptr;  // where `fn` runs; null: on the answering thread
  std::function<void(Args)> fn;

  void answer(std::shared_ptr<detail::AckSlot> self, Args args) override {
    if (!loop) {
      fn(std::move(args));
      return;
    }
    loop->dispatch([self = std::move(self), args = std::move(args)]() mutable {
      static_cast<AckSlot&>(*self).fn(std::move(args));
    });
  }
};

}  // namespace sio::io
