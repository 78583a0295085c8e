// A WebSocket (RFC 6455) server on its own, without Engine.IO: text and binary
// messages, fragmented messages reassembled, pings answered, close codes, a
// maximum message size.
//
//   sio::ws::Server server({.port = 9001});
//   server.on_connection([](sio::ws::Connection& c) {
//     c.on_message([&c](std::string_view data, bool binary) { c.send(data, binary); });
//   });
//   server.run();
//
// Timeouts (ServerOptions): the upgrade request must come within
// request_timeout; a silent connection is pinged and closed when it does not
// answer; a message must not take longer than message_timeout to arrive.
//
// Threading: a connection lives on one event loop; its handlers run there, and
// its methods must be called there (from its handlers).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <sio/config.hpp>

/// Plain WebSocket (RFC 6455), without Engine.IO or Socket.IO.
namespace sio::ws {

/// Where and how a WebSocket server listens, and its limits.
struct ServerOptions {
  std::string host = "127.0.0.1";              ///< address to listen on (loopback by default)
  std::uint16_t port = 9001;                   ///< 0: any free port
  std::size_t threads = 1;                     ///< event loops
  std::size_t max_message_size = 16u << 20;    ///< larger messages close with 1009
  std::size_t max_buffered_bytes = 64u << 20;  ///< unsent output past this closes the connection
  /// The upgrade request must arrive whole within this, else the connection
  /// is closed: 30 s, the Engine.IO server's request timeout.
  std::chrono::milliseconds request_timeout{30000};
  /// A connection silent this long is pinged (0: never): 25 s, as Engine.IO's pingInterval.
  std::chrono::milliseconds ping_interval{25000};
  /// Nothing (a pong or any data) within this after a ping closes it with
  /// 1001: 20 s, as Engine.IO's pingTimeout.
  std::chrono::milliseconds ping_timeout{20000};
  /// A message begun must end within this, else the connection closes with
  /// 1008 and its partial message is dropped (0: no limit). 60 s: a 16 MiB
  /// message needs 2.3 Mbit/s. Checked every quarter of it.
  std::chrono::milliseconds message_timeout{60000};
  /// Server-wide: bytes held for messages arriving in pieces, all connections
  /// together; a connection whose message would pass it is closed with 1013
  /// (try again later). 256 MiB: 16 messages of the largest size. 0: none.
  std::size_t max_inbound_buffered = 256u << 20;
  std::size_t max_header_fields = 100;         ///< upgrade request fields; past it: 431 and close
                                               ///< (Apache httpd's LimitRequestFields)
};

/// One WebSocket connection (RFC 6455). Lives on one loop; call it from its
/// handlers.
class Connection {
 public:
  virtual ~Connection() = default;
  /// The upgrade request.
  virtual const HttpRequest& request() const = 0;
  /// Sends one message, text or binary.
  virtual void send(std::string_view data, bool binary = false) = 0;
  /// Starts the closing handshake.
  virtual void close(std::uint16_t code = 1000, std::string_view reason = {}) = 0;
  /// A whole message arrived (text is valid UTF-8).
  virtual void on_message(std::function<void(std::string_view data, bool binary)> fn) = 0;
  /// The connection is gone: the peer's close code (1005: none given, 1006: dropped).
  virtual void on_close(std::function<void(std::uint16_t code)> fn) = 0;
};

/// A WebSocket server (RFC 6455) at any path.
class Server {
 public:
  /// Listens at once (throws std::system_error when it cannot).
  explicit Server(ServerOptions opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Called for each new connection, on its loop. Set before run().
  void on_connection(std::function<void(Connection&)> fn);
  /// The port listened on (the one chosen when ServerOptions::port was 0).
  std::uint16_t port() const;
  void run();   ///< blocks until stop()
  void stop();  ///< thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio::ws
