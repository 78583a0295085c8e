// An Engine.IO server on N event loops: accepts HTTP (polling) and WebSocket
// connections, runs the engine sessions, and hands each opened session to the
// Acceptor (the layer above). No Asio types in this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <system_error>

#include <sio/config.hpp>

#include "engine/connection.hpp"
#include "engine/inbound_budget.hpp"
#include "engine/loop.hpp"

namespace sio::net {

struct ListenOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;     // 0: any free port (see EngineServer::port())
  std::size_t threads = 0;    // event loops; 0: the machine's hardware threads
};

// Requests outside the engine path (sio::HttpHandler, include/sio/config.hpp).
using sio::HttpHandler;
using sio::HttpResponse;

class EngineServer {
 public:
  // Binds the listening socket at once (so port() is known), serves once run().
  EngineServer(EngineOptions opts, ListenOptions listen, engine::Acceptor& acceptor);
  ~EngineServer();
  EngineServer(const EngineServer&) = delete;
  EngineServer& operator=(const EngineServer&) = delete;

  std::uint16_t port() const;
  std::size_t loop_count() const;
  engine::Loop& loop(std::size_t i);

  // Requests outside the engine path. Set before run().
  void set_http_handler(HttpHandler h);
  // The server-wide budget of inbound bytes (EngineOptions::max_inbound_buffered),
  // for the layer above to hold its own pending input against (attachments).
  engine::InboundBudget& inbound_budget();

  // TLS (EngineOptions::tls): reads the certificate, key and client CA files
  // again; connections accepted from now on use them, open ones keep theirs.
  // On failure (errc::tls_bad_file, what failed in `detail`) the current
  // ones stay. Thread-safe. Without TLS configured: errc::tls_bad_file.
  std::error_code reload_tls(std::string* detail = nullptr);

  // Runs every loop (the calling thread runs loop 0) until stop().
  void run();
  // Thread-safe: closes every session (reason server_shutdown), then run() returns.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio::net
