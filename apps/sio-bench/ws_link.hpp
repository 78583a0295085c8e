// The WebSocket transport of the load tool: HTTP upgrade (the accept key is
// checked), then masked text frames out and unmasked frames in, parsed by our
// own codec (client role). WebSocket pings are answered; a close frame or a
// protocol violation ends the link.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "http_response.hpp"
#include "link.hpp"
#include "stream.hpp"
#include "wire/ws_frame.hpp"

namespace sio::bench {

class WsLink final : private Stream::Handler {
 public:
  WsLink(boost::asio::io_context& io, LinkOwner& owner) : io_(io), owner_(owner) {}
  ~WsLink() override { close(); }

  // Connects and upgrades; `query` is the Engine.IO query ("EIO=4&transport=websocket[&sid=...]").
  void start(const Target& t, std::string_view query);
  // Sends one text message (an Engine.IO packet).
  void send(std::string_view packet);
  void close(bool abortive = false);

  // Parser callbacks (client role).
  void on_message(wire::ws::Opcode op, std::string_view payload);
  void on_ping(std::string_view payload);
  void on_pong(std::string_view) {}
  void on_close(std::uint16_t code, std::string_view reason);

 private:
  void on_connected(Stream& s) override;
  std::size_t on_data(Stream& s, std::span<char> data) override;
  void on_closed(Stream& s, std::error_code ec) override;
  void send_frame(wire::ws::Opcode op, std::string_view payload);
  void fail(ErrorKind k, std::string_view detail);

  boost::asio::io_context& io_;
  LinkOwner& owner_;
  std::shared_ptr<Stream> stream_;
  std::string request_;
  HttpResponseParser http_;
  wire::ws::Parser<wire::ws::Role::client> parser_;
  std::string frame_;  // scratch for one outgoing frame
  bool upgraded_ = false;
  bool failed_ = false;
};

}  // namespace sio::bench
