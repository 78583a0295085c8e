// The answer to a client's event that asked for an acknowledgement.
// Event::ack() answers at once; ack_handle() gives an Ack to answer later,
// from any thread (it is sent on the socket's loop). Only the first answer is
// sent; answering a socket that is gone does nothing.
#pragma once

#include <memory>
#include <utility>

#include <sio/emit.hpp>
#include <sio/payload.hpp>

namespace sio {

namespace io {
struct AckSlot;
}

class Ack {
 public:
  Ack() = default;
  explicit Ack(std::shared_ptr<io::AckSlot> slot) : slot_(std::move(slot)) {}

  template <class... A>
  void operator()(A&&... a) const {
    Args args;
    args.reserve(sizeof...(A));
    (args.emplace_back(std::forward<A>(a)), ...);
    send(std::move(args));
  }
  void send(Args args) const;

  // True when the client asked for an acknowledgement not yet sent.
  bool pending() const;
  explicit operator bool() const { return pending(); }

 private:
  std::shared_ptr<io::AckSlot> slot_;
};

}  // namespace sio
