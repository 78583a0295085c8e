// The seam between Engine.IO and the layer above (Socket.IO): a connection
// that carries messages, and a listener that hears them. This is the whole
// interface; the layer above never sees transports, polling or frames.
//
// Threading: a connection belongs to one loop; every call on it and every
// listener callback happens on that loop's thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <sio/config.hpp>

#include "engine/close_reason.hpp"
#include "engine/loop.hpp"
#include "wire/shared_bytes.hpp"

namespace sio::engine {

// An outgoing Engine.IO message, encoded once and shareable between many
// connections. Text: the bytes are the whole Engine.IO packet ("4" + data).
// Binary: the bytes are the raw data.
struct OutMessage {
  wire::SharedBytes bytes;
  bool binary = false;
  bool compress = true;  // the emit's compress flag: a polling response with one such may be compressed

  // "4" + data, in one allocation.
  static OutMessage text(std::string_view data) {
    auto b = wire::SharedBytes::allocate(data.size() + 1);
    b.mutable_data()[0] = '4';
    if (!data.empty()) std::memcpy(b.mutable_data() + 1, data.data(), data.size());
    return {std::move(b), false};
  }
  static OutMessage binary_data(std::string_view data) {
    return {wire::SharedBytes::copy_of(data), true};
  }
  std::string_view payload() const {  // the message without the "4" prefix
    auto v = bytes.view();
    return binary ? v : v.substr(1);
  }
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual const std::string& id() const = 0;          // the Engine.IO sid
  virtual const SharedRequest& request() const = 0;   // the handshake request (never null)
  virtual std::string_view transport_name() const = 0; // "polling" / "websocket"
  // The Engine.IO protocol revision the peer speaks: 4, or 3 (socket.io-client
  // 2.x, with allow_eio3), to which the layer above speaks Socket.IO protocol 4.
  virtual std::uint8_t protocol() const { return 4; }
  virtual Loop& loop() = 0;

  // Queues a message; sent in order. Ignored once closed.
  virtual void send(const OutMessage& m) = 0;
  // True when a message sent now would go out without waiting behind others
  // (volatile emits are dropped otherwise).
  virtual bool writable() const = 0;
  // Closes the session (reason: forced close), flushing what is queued.
  virtual void close() = 0;
  virtual bool closed() const = 0;
};

using ConnectionPtr = std::shared_ptr<Connection>;

// Hears one connection. Owned by the engine for the connection's lifetime.
class Listener {
 public:
  virtual ~Listener() = default;
  // A message packet arrived. `data` is valid during the call only.
  virtual void on_message(std::string_view data, bool binary) = 0;
  // The session is over; no more calls follow.
  virtual void on_close(CloseReason reason, std::string_view description) = 0;
};

// Hears new connections (the layer above implements this).
class Acceptor {
 public:
  virtual ~Acceptor() = default;
  // A session opened. Return its listener (never null).
  virtual std::unique_ptr<Listener> on_open(ConnectionPtr conn) = 0;
};

}  // namespace sio::engine
