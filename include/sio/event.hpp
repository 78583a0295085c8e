// An event a client emitted: its name, its arguments, and the way to
// acknowledge it when the client asked for that.
//
//   socket.on("chat", [](sio::Event& ev) {
//     std::string text(ev.arg(0).json().as_string());
//     ev.ack("delivered");
//   });
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <sio/ack.hpp>
#include <sio/payload.hpp>

namespace sio {

class Socket;

class Event {
 public:
  Event(Socket& socket, std::string name, Args args, Ack ack)
      : socket_(&socket), name_(std::move(name)), args_(std::move(args)), ack_(std::move(ack)) {}

  const std::string& name() const noexcept { return name_; }
  Socket& socket() const noexcept { return *socket_; }

  // Middlewares may change the arguments before the handlers see them.
  Args& args() noexcept { return args_; }
  const Args& args() const noexcept { return args_; }
  std::size_t size() const noexcept { return args_.size(); }
  // Argument i, or a null payload past the end (as JavaScript's undefined).
  const Payload& arg(std::size_t i) const noexcept;

  bool wants_ack() const { return ack_.pending(); }
  template <class... A>
  void ack(A&&... a) const {
    ack_(std::forward<A>(a)...);
  }
  void ack_args(Args args) const { ack_.send(std::move(args)); }
  const Ack& ack_handle() const noexcept { return ack_; }

 private:
  Socket* socket_;
  std::string name_;
  Args args_;
  Ack ack_;
};

}  // namespace sio
