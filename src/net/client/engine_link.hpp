// An Engine.IO client connection as the Socket.IO client sees it: messages
// in and out, open and close. This is the whole seam (the manager never sees
// transports or frames), and it is an interface so that the manager can be
// tested with a fake. No Asio types here.
//
// Threading: everything happens on the client's loop thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client_session.hpp"
#include "engine/close_reason.hpp"
#include "net/client/endpoint.hpp"
#include "net/client/stream.hpp"

namespace sio::net::client {

class ClientLoop;

class EngineListener {
 public:
  virtual ~EngineListener() = default;
  virtual void on_open(const engine::client::Handshake& hs) = 0;
  // A message; `data` is valid during the call only.
  virtual void on_message(std::string_view data, bool binary) = 0;
  // The session is over (never after close() was called on the link).
  virtual void on_close(engine::CloseReason reason, std::string_view description) = 0;
  virtual void on_upgrade(engine::client::TransportKind) {}
};

class EngineLink {
 public:
  // Destroying a link closes it (gracefully: queued messages are written first).
  virtual ~EngineLink() = default;
  virtual void send(std::string_view data, bool binary) = 0;
  // A message sent now goes out at once (the transport is idle).
  virtual bool writable() const = 0;
  // Closes; the listener hears nothing more. `on_finished` runs (on the loop)
  // once what was queued and the goodbye (polling: a close packet; WebSocket:
  // a close frame) are written, or the link gave up on writing them.
  virtual void close(std::function<void()> on_finished = {}) = 0;
  virtual std::string_view transport_name() const = 0;
};

class EngineConnector {
 public:
  virtual ~EngineConnector() = default;
  // Starts a new session; the listener must outlive the link.
  virtual std::unique_ptr<EngineLink> connect(EngineListener& listener) = 0;
};

struct EngineTarget {
  Endpoint endpoint;
  TlsOptions tls;
  engine::client::SessionConfig session;
  std::size_t max_message_size = 100u << 20;  // 100 MiB: the ws library's default maxPayload
};

// The real thing, over the network. Throws std::system_error when the TLS
// options cannot be used (an unreadable CA file).
std::unique_ptr<EngineConnector> make_connector(ClientLoop& loop, EngineTarget target);

}  // namespace sio::net::client
