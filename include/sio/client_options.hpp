// Options of the C++ Socket.IO client, with socket.io-client's defaults,
// commented where they are declared.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

namespace sio {

/// A transport the client may use (ClientOptions::transports).
enum class ClientTransport {
  polling,   ///< HTTP long-polling
  websocket  ///< WebSocket
};

/// TLS for https:// and wss:// URLs.
struct ClientTlsOptions {
  /// Verify the server's certificate chain and that it names the host we asked
  /// for (DNS name or IP address). On by default; turning it off is the
  /// explicit `verify_peer = false`.
  bool verify_peer = true;
  /// PEM file of the certificate authorities to trust. Empty: the system's
  /// trust store.
  std::string ca_file;
};

/// How a sio::Client connects, with socket.io-client's defaults.
struct ClientOptions {
  // ---- Engine.IO ----
  std::string path = "/socket.io/";  ///< socket.io's default path
  /// Transports in order of use: the first opens the session, a later one is
  /// upgraded to. {polling, websocket}: polling then upgrade, the JS client's
  /// default; {websocket}: WebSocket only; {polling}: polling only.
  std::vector<ClientTransport> transports{ClientTransport::polling, ClientTransport::websocket};
  bool upgrade = true;                          ///< try to upgrade polling -> websocket (default: on)
  std::map<std::string, std::string> query;     ///< added to every request's query string
  std::map<std::string, std::string> extra_headers;  ///< added to every HTTP request / the WebSocket handshake
  ClientTlsOptions tls;                         ///< for https:// and wss:// URLs
  std::chrono::milliseconds timeout{20000};     ///< connect timeout: 20 s, socket.io-client's `timeout`
  std::size_t max_message_size = 100u << 20;    ///< largest WebSocket message: 100 MiB, the ws library's default

  // ---- Socket.IO ----
  /// Sent with every namespace CONNECT (socket.io-client's `auth`); empty: none.
  boost::json::object auth;
  /// Default ack timeout for emits with a callback; unset: wait until answered
  /// or disconnected (socket.io-client's `ackTimeout`, unset by default).
  std::optional<std::chrono::milliseconds> ack_timeout;
  /// Events emitted while disconnected are kept (in order) and sent on
  /// (re)connection; past this many per namespace, emit() fails with
  /// errc::sio_buffer_full. (socket.io-client has no cap.)
  std::size_t max_buffered_packets = 1000;

  // ---- Reconnection (socket.io-client's defaults) ----
  bool reconnection = true;                                                         ///< on
  std::uint32_t reconnection_attempts = std::numeric_limits<std::uint32_t>::max();  ///< unlimited
  std::chrono::milliseconds reconnection_delay{1000};      ///< first delay: 1 s, doubling...
  std::chrono::milliseconds reconnection_delay_max{5000};  ///< ...up to 5 s
  double randomization_factor = 0.5;                       ///< each delay moves by up to +/- 50 %
  /// The randomness behind randomization_factor: a number in [0, 1). Unset: a
  /// pseudo-random generator. (For tests that need exact delays.)
  std::function<double()> random;
};

/// Options of one namespace socket (client.socket("/admin", {...})).
struct ClientSocketOptions {
  std::optional<boost::json::object> auth;  ///< unset: the client's auth
};

}  // namespace sio
