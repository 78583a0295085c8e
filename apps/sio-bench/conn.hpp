// One Socket.IO client connection of the load tool: an Engine.IO client plus
// the namespace join and the hand-written events of EventCodec. The owner (a
// scenario) hears when it joined, each event that arrived, and any failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine_client.hpp"
#include "event_codec.hpp"

namespace sio::bench {

class Conn final : private EngineClient::Owner {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    // Namespace joined (and, in upgrade mode, on WebSocket).
    virtual void on_joined(Conn& c) = 0;
    virtual void on_event(Conn& c, const EventCodec::Incoming& ev) = 0;
    // Counted by the owner; the connection is closed and sends nothing more.
    virtual void on_failed(Conn& c, ErrorKind k, std::string_view detail) = 0;
  };

  enum class State : std::uint8_t { connecting, joined, failed, closed };

  Conn(boost::asio::io_context& io, const Target& t, Transport tr, const EventCodec& codec, Owner& owner,
       std::size_t slot)
      : engine_(io, t, tr, *this), codec_(codec), owner_(owner), slot_(slot) {}

  void start(std::uint64_t now_ns) {
    started_ns_ = now_ns;
    engine_.start();
  }
  // Emits ["<event>",<seq>,"<payload>"], asking for an ack when `ack_id` is set
  // (the owner hears the ack as an Incoming of kind ack).
  void emit(std::string_view event, std::uint64_t seq, std::optional<std::uint64_t> ack_id = std::nullopt);
  // Leaves (polling: with a close packet, see finished()). `abortive`: its
  // TCP connections end with a reset instead of a FIN, so they leave no
  // TIME_WAIT behind; a tool that opens thousands of connections a second
  // would otherwise spend its time in connect() looking for a free port.
  void close(bool abortive = false);
  // Gives up on a connection that took too long (counted by the caller).
  void abandon() {
    state_ = State::failed;
    engine_.close();
  }

  State state() const noexcept { return state_; }
  bool joined() const noexcept { return state_ == State::joined; }
  std::size_t slot() const noexcept { return slot_; }
  std::uint64_t started_ns() const noexcept { return started_ns_; }
  bool finished() const noexcept { return engine_.finished(); }

 private:
  void on_engine_open() override;
  void on_engine_settled() override;
  void on_engine_message(std::string_view data) override;
  void on_engine_failed(ErrorKind k, std::string_view detail) override;
  void maybe_joined();

  EngineClient engine_;
  const EventCodec& codec_;
  Owner& owner_;
  std::size_t slot_;
  std::uint64_t started_ns_ = 0;
  State state_ = State::connecting;
  bool sio_connected_ = false;
};

}  // namespace sio::bench
