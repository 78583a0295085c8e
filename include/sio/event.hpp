/// @file
/// sio::Event and sio::ClientEvent: an event the peer emitted, on a server
/// and in the client. Both are sio::BasicEvent, one template with the same
/// members; only socket() differs (the socket the event arrived on).
///
/// @code
/// socket.on("chat", [](sio::Event& ev) {          // server: sio::Socket
///   std::string text(ev.arg(0).json().as_string());
///   ev.ack("delivered");
/// });
/// chat.on("news", [](sio::ClientEvent& ev) {      // client: sio::ClientSocket
///   if (ev.wants_ack()) ev.ack("thanks");
/// });
/// auto log = [](auto& ev) { std::cout << ev.name() << "\n"; };  // either side
/// @endcode
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <sio/ack.hpp>
#include <sio/payload.hpp>

namespace sio {

class Socket;
class ClientSocket;

/// An event the peer emitted: its name, its arguments, and the way to
/// acknowledge it when the peer asked for that.
///
/// @tparam SocketT the socket it arrived on: sio::Socket (a server's, see
///   sio::Event) or sio::ClientSocket (the client's, see sio::ClientEvent).
template <class SocketT>
class BasicEvent {
 public:
  /// The type of socket().
  using socket_type = SocketT;

  /// Made by the server or the client for each incoming event.
  BasicEvent(SocketT& socket, std::string name, Args args, Ack ack)
      : socket_(&socket), name_(std::move(name)), args_(std::move(args)), ack_(std::move(ack)) {}

  /// The event's name (its first element on the wire).
  const std::string& name() const noexcept { return name_; }
  /// The socket the event arrived on.
  SocketT& socket() const noexcept { return *socket_; }

  /// The arguments, in order. Middlewares may change them before the
  /// handlers see them.
  Args& args() noexcept { return args_; }
  /// The arguments, in order.
  const Args& args() const noexcept { return args_; }
  /// How many arguments there are.
  std::size_t size() const noexcept { return args_.size(); }
  /// Argument `i`, or a null payload past the end (as JavaScript's undefined).
  const Payload& arg(std::size_t i) const noexcept { return i < args_.size() ? args_[i] : null_payload(); }

  /// True when the peer asked for an acknowledgement not yet sent.
  bool wants_ack() const { return ack_.pending(); }
  /// Acknowledges with the arguments given (once; later answers are dropped).
  template <class... A>
  void ack(A&&... a) const {
    ack_(std::forward<A>(a)...);
  }
  /// Acknowledges with `args`.
  void ack_args(Args args) const { ack_.send(std::move(args)); }
  /// The acknowledgement, to answer later or from another thread.
  const Ack& ack_handle() const noexcept { return ack_; }

 private:
  SocketT* socket_;
  std::string name_;
  Args args_;
  Ack ack_;
};

/// An event a client emitted, as a server's handlers see it.
using Event = BasicEvent<Socket>;
/// An event the server emitted, as the C++ client's handlers see it.
using ClientEvent = BasicEvent<ClientSocket>;

}  // namespace sio
