#pragma once

#include <string_view>

namespace sio::engine {

// Why an Engine.IO session ended, as handed to the layer above.
enum class CloseReason {
  transport_close,  // the peer closed (or the connection dropped cleanly)
  transport_error,  // an I/O error or a transport-level violation
  ping_timeout,     // no pong within pingTimeout
  forced_close,     // the server closed it
  parse_error,      // an invalid packet arrived
  server_shutdown,  // the server is stopping
};

constexpr std::string_view to_string(CloseReason r) {
  switch (r) {
    case CloseReason::transport_close: return "transport close";
    case CloseReason::transport_error: return "transport error";
    case CloseReason::ping_timeout: return "ping timeout";
    case CloseReason::forced_close: return "forced close";
    case CloseReason::parse_error: return "parse error";
    case CloseReason::server_shutdown: return "server shutting down";
  }
  return "unknown";
}

}  // namespace sio::engine
