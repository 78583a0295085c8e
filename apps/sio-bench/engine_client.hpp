// The Engine.IO v4 client side of one load connection: handshake, heartbeat
// (every ping answered with a pong), and for the "upgrade" transport the
// probe dance (2probe / 3probe, pause polling, 5) that moves a polling session
// onto WebSocket. Message packets ("4...") go to the owner.
//
// Lifetime rule for every layer of a connection: an owner never destroys the
// object whose callback it is in; it closes it and lets it go later.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "link.hpp"
#include "poll_link.hpp"
#include "ws_link.hpp"

namespace sio::bench {

enum class Transport : std::uint8_t {
  websocket,  // WebSocket from the first byte (transports: ["websocket"])
  polling,    // long-polling only (transports: ["polling"])
  upgrade,    // polling handshake, then upgraded to WebSocket (the JS client's default)
};

class EngineClient final : private PollOwner {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    virtual void on_engine_open() = 0;     // the server's open packet arrived
    virtual void on_engine_settled() = 0;  // upgrade mode: now on WebSocket
    virtual void on_engine_message(std::string_view data) = 0;  // a message packet's data
    virtual void on_engine_failed(ErrorKind k, std::string_view detail) = 0;
  };

  EngineClient(boost::asio::io_context& io, const Target& t, Transport tr, Owner& owner);
  ~EngineClient() override;

  void start();
  // One Engine.IO packet ("42[...]"), on whichever transport is current.
  void send(std::string_view packet);
  // Leaves: polling says goodbye with a close packet; WebSocket just closes.
  // `abortive`: TCP connections end with a reset (no TIME_WAIT on our side).
  void close(bool abortive = false);
  // The polling goodbye is done (always true for WebSocket).
  bool finished() const noexcept { return !poll_ || poll_->finished(); }
  // Open, and (upgrade mode) on WebSocket.
  bool settled() const noexcept { return open_ && (transport_ != Transport::upgrade || on_ws_); }

 private:
  class WsSide;  // routes the probe link's callbacks

  void on_link_open() override;
  void on_link_packet(std::string_view packet) override;
  void on_link_failed(ErrorKind k, std::string_view detail) override;
  void on_poll_paused() override;
  void on_probe_open();
  void on_probe_packet(std::string_view packet);
  void handle_open(std::string_view json);
  void fail(ErrorKind k, std::string_view detail);

  boost::asio::io_context& io_;
  const Target& target_;
  Transport transport_;
  Owner& owner_;
  std::unique_ptr<PollLink> poll_;
  std::unique_ptr<WsSide> probe_owner_;
  std::unique_ptr<WsLink> ws_;
  bool open_ = false;
  bool on_ws_ = false;      // packets flow over ws_
  bool probing_ = false;    // upgrade in progress
  bool dead_ = false;
};

}  // namespace sio::bench
