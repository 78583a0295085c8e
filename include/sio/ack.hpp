/// @file
/// sio::Ack: the answer to a peer's event that asked for an acknowledgement,
/// on a server and in the client alike.
#pragma once

#include <memory>
#include <utility>

#include <sio/payload.hpp>

namespace sio {

namespace detail {
struct AckSlot;  // internal: where an answer goes (a server socket, a client socket)
}

/// The answer to one event that asked for an acknowledgement.
///
/// BasicEvent::ack() answers at once; BasicEvent::ack_handle() gives an Ack to
/// answer later, from any thread (the answer is sent on the loop of the
/// socket it belongs to). Copies share one "answered" state: only the first
/// answer is sent, and answering a socket that is gone does nothing.
///
/// @code
/// socket.on("slow", [](sio::Event& ev) {
///   std::thread([ack = ev.ack_handle()] { ack("done", 42); }).detach();
/// });
/// @endcode
class Ack {
 public:
  /// An Ack that answers nothing (the event did not ask for one).
  Ack() = default;
  /// Internal: made by the server and the client for events that ask.
  explicit Ack(std::shared_ptr<detail::AckSlot> slot) : slot_(std::move(slot)) {}

  /// Answers with the arguments given (each converted to a Payload).
  template <class... A>
  void operator()(A&&... a) const {
    Args args;
    args.reserve(sizeof...(A));
    (args.emplace_back(std::forward<A>(a)), ...);
    send(std::move(args));
  }
  /// Answers with `args` (nothing happens after the first answer).
  void send(Args args) const;

  /// True when the peer asked for an acknowledgement not yet sent.
  bool pending() const;
  /// Same as pending().
  explicit operator bool() const { return pending(); }

 private:
  std::shared_ptr<detail::AckSlot> slot_;
};

}  // namespace sio
