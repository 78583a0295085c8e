// Engine.IO v4 on its own: sessions that carry text and binary messages over
// long-polling and WebSocket (with upgrade), without Socket.IO on top.
//
//   sio::eio::Server server({.port = 3000});
//   server.on_connection([](sio::eio::Socket& s) {
//     s.on_message([&s](std::string_view data, bool binary) { s.send(data, binary); });
//   });
//   server.run();
//
// Threading: a socket lives on one event loop; its handlers run there, and its
// methods must be called there (from its handlers).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <sio/config.hpp>

/// Engine.IO on its own, without Socket.IO on top.
namespace sio::eio {

/// Where and how an Engine.IO server listens.
struct ServerOptions {
  EngineOptions engine;          ///< path, heartbeat, limits, CORS... (socket.io's defaults)
  std::string host = "127.0.0.1";  ///< address to listen on (loopback by default)
  std::uint16_t port = 3000;     ///< 0: any free port (see Server::port())
  std::size_t threads = 0;       ///< event loops; 0: the machine's hardware threads
};

/// One Engine.IO session (engine.io's Socket): messages both ways over
/// whichever transport it uses now. Lives on one loop; call it from there.
class Socket {
 public:
  virtual ~Socket() = default;
  /// The session id (sid).
  virtual const std::string& id() const = 0;
  /// The handshake request that opened the session.
  virtual const HttpRequest& request() const = 0;
  virtual std::string_view transport() const = 0;  ///< "polling" or "websocket"
  /// Sends one message, text or binary.
  virtual void send(std::string_view data, bool binary = false) = 0;
  /// Closes the session ("forced close" on this side).
  virtual void close() = 0;
  /// Handlers: a message arrived; the session closed (reason: "transport close",
  /// "transport error", "ping timeout", "forced close", "parse error", "server shutting down").
  virtual void on_message(std::function<void(std::string_view data, bool binary)> fn) = 0;
  /// See on_message().
  virtual void on_close(std::function<void(std::string_view reason)> fn) = 0;
};

/// An Engine.IO v4 server (no Socket.IO on top): polling, WebSocket, upgrade.
class Server {
 public:
  /// Listens at once (throws std::system_error when it cannot).
  explicit Server(ServerOptions opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Called for each new session, on its loop. Set before run().
  void on_connection(std::function<void(Socket&)> fn);
  /// The port listened on (the one chosen when ServerOptions::port was 0).
  std::uint16_t port() const;
  void run();   ///< blocks until stop()
  void stop();  ///< thread-safe and signal-safe to call from another thread
  /// TLS (EngineOptions::tls): reads the certificate, key and client CA
  /// files again. Connections accepted from now on use them; open ones keep
  /// the certificate they started with. On failure the current files stay in
  /// use and the error is returned (errc::tls_bad_file; `detail`, if given,
  /// names the file and OpenSSL's reason). Thread-safe.
  std::error_code reload_tls(std::string* detail = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio::eio
