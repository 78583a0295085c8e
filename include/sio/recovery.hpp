// Connection state recovery (socket.io 4.6+'s connectionStateRecovery): a
// client that comes back soon after losing its connection keeps its socket
// id, rooms and data(), and receives the events it missed.
//
//   sio::ServerOptions opts;
//   opts.connection_state_recovery.enabled = true;  // socket.io's defaults below
#pragma once

#include <chrono>
#include <cstddef>

namespace sio {

/// socket.io's connectionStateRecovery option, plus the bounds on what the
/// server keeps for it (socket.io has none: it keeps what the duration allows).
struct ConnectionStateRecoveryOptions {
  bool enabled = false;  ///< off: socket.io's default (the option unset)
  /// How long a session waits for its client after the connection is lost
  /// (and how long emitted packets are kept). 2 min: socket.io's default.
  std::chrono::milliseconds max_disconnection_duration{120000};
  /// A recovered socket skips the namespace's middlewares: socket.io's default.
  bool skip_middlewares = true;
  /// Packets kept per namespace for replay (not in socket.io). Past it the
  /// oldest is dropped; a client whose last offset was dropped is not
  /// recovered (a new session, as after the duration), never replayed in part.
  std::size_t max_stored_packets = 100000;
  /// Disconnected sessions kept per namespace (not in socket.io). Past it the
  /// oldest is dropped: its client gets a new session.
  std::size_t max_sessions = 100000;
};

}  // namespace sio
