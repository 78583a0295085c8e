// The WebSocket transport of an Engine.IO client: the opening handshake
// (RFC 6455 section 4.1, checked: 101, Upgrade, Sec-WebSocket-Accept), then
// frames through our codec (wire/ws_frame.hpp, client role: every frame
// masked with a fresh key). Pings are answered (only the latest one when
// several wait: RFC 6455 section 5.5.3), a peer's close is echoed. Once
// closing, the connection is dropped within close_grace even if the server
// reads nothing of what is still queued.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/client/endpoint.hpp"
#include "net/client/polling_transport.hpp"  // TransportCallbacks
#include "net/client/stream.hpp"
#include "wire/ws_frame.hpp"

namespace sio::net::client {

class WsTransport : public std::enable_shared_from_this<WsTransport> {
 public:
  // close_grace 3 s: what a server that reads needs to take our last frames,
  // below EngineLink's own 5 s close grace.
  WsTransport(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls, Endpoint ep,
              std::size_t max_message, TransportCallbacks cb,
              std::chrono::milliseconds close_grace = std::chrono::seconds(3));
  ~WsTransport();

  // Connects and handshakes; on_open when done.
  void open(const std::string& sid);
  // Each message becomes one frame (text or binary); on_drain once all are written.
  void send(std::vector<std::pair<std::string, bool>> messages);
  // No callbacks after this. graceful: a close frame (1000) goes out first.
  // `done` runs (later, on the loop) once nothing is left to send.
  void close(bool graceful, std::function<void()> done = {});

  // Handler for the frame parser (public for the parser's use only).
  void on_message(wire::ws::Opcode op, std::string_view payload);
  void on_ping(std::string_view payload);
  void on_pong(std::string_view) {}
  void on_close(std::uint16_t code, std::string_view reason);

 private:
  struct Handshake;
  struct GraceTimer;
  void handshake();
  void read_handshake();
  bool check_handshake(std::string& why);
  void read_frames();
  void consume(std::string_view data);
  void queue_frame(wire::ws::Opcode op, std::string_view payload);
  void write_next();
  void close_after_writing();  // sets close_after_write_, arms the grace timer
  void down(bool error, std::string description);

  boost::asio::io_context& ctx_;
  std::shared_ptr<TlsContext> tls_;
  Endpoint ep_;
  TransportCallbacks cb_;
  std::shared_ptr<Stream> stream_;
  std::unique_ptr<Handshake> hs_;
  std::string key_;                 // Sec-WebSocket-Key sent
  wire::ws::Parser<wire::ws::Role::client> parser_;
  std::string in_;                  // bytes not yet consumed by the parser
  std::deque<std::string> out_;     // frames to write, in order
  std::uint64_t taken_ = 0;         // frames taken from out_'s front so far
  std::uint64_t pong_seq_ = kNoPong;  // taken_ + index in out_ of the last pong queued
  static constexpr std::uint64_t kNoPong = ~std::uint64_t{0};
  std::chrono::milliseconds close_grace_;
  std::unique_ptr<GraceTimer> grace_;  // armed once closing
  bool writing_ = false;
  bool drain_pending_ = false;      // a send() batch is not fully written yet
  bool open_ = false;               // handshake done
  bool closed_ = false;             // close() called or down: no more callbacks
  bool close_after_write_ = false;  // drop the connection once out_ is written
  std::function<void()> on_flushed_;  // close()'s `done`
  std::mt19937 rng_;
};

}  // namespace sio::net::client
