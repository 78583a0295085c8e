// What sio::Ack (include/sio/ack.hpp) points to: a one-shot way to answer,
// run on the loop that owns the answer's target (a socket's loop), or inline.
#pragma once

#include <atomic>
#include <functional>

#include <sio/payload.hpp>

#include "engine/loop.hpp"

namespace sio::io {

struct AckSlot {
  std::atomic<bool> sent{false};
  engine::Loop* loop = nullptr;    // where `answer` runs; null: on the caller's thread
  std::function<void(Args)> answer;
};

}  // namespace sio::io
