// One error vocabulary for every layer: fine codes (errc) mapped onto a few
// coarse conditions (condition), in the style of std::errc / Beast's websocket
// errors. Compare a std::error_code against a condition to ask "what kind of
// failure was this?" without listing every code.
#pragma once

#include <string>
#include <system_error>

namespace sio {

/// Every error socketio-cpp reports, as std::error_code values
/// (`std::error_code ec = sio::errc::closed;`). Each maps onto a coarse
/// sio::condition: compare `ec == sio::condition::timeout` to ask what kind
/// of failure it was.
enum class errc {
  // --- WebSocket frames (RFC 6455) ---
  ws_reserved_bits = 1,     ///< RSV1-3 set without a negotiated extension
  ws_bad_opcode,            ///< reserved opcode
  ws_unmasked_frame,        ///< client frame without mask (server role)
  ws_masked_frame,          ///< server frame with mask (client role)
  ws_control_fragmented,    ///< control frame with FIN clear
  ws_control_too_long,      ///< control payload > 125 bytes
  ws_bad_continuation,      ///< continuation with nothing to continue
  ws_expected_continuation, ///< new data frame inside a fragmented message
  ws_bad_length,            ///< 64-bit length with the top bit set
  ws_invalid_utf8,          ///< text message or close reason is not UTF-8
  ws_bad_close_code,        ///< close code not allowed on the wire
  ws_bad_close_payload,     ///< close payload of length 1
  ws_message_too_big,       ///< over the configured maximum message size
  ws_bad_handshake,         ///< upgrade request not acceptable

  // --- Engine.IO ---
  eio_unknown_transport,      ///< code 0
  eio_unknown_sid,            ///< code 1
  eio_bad_handshake_method,   ///< code 2
  eio_bad_request,            ///< code 3
  eio_forbidden,              ///< code 4
  eio_unsupported_version,    ///< code 5
  eio_bad_packet,             ///< a packet that does not decode
  eio_bad_payload,            ///< a polling payload that does not decode
  eio_payload_too_large,      ///< over maxHttpBufferSize
  eio_ping_timeout,
  eio_transport_closed,
  eio_transport_error,
  eio_forced_close,
  eio_parse_error,
  eio_slow_consumer,          ///< peer does not read; output buffer limit hit

  // --- Socket.IO ---
  sio_bad_packet,          ///< a Socket.IO packet that does not decode
  sio_invalid_namespace,
  sio_too_many_attachments,
  sio_connect_timeout,
  sio_ack_timeout,
  sio_not_connected,
  sio_buffer_full,         ///< client offline buffer cap reached
  sio_remote_timeout,      ///< a cluster request got only part of its answers

  // --- generic ---
  timed_out,
  closed,
  operation_aborted,

  // --- cluster (adapter between servers) ---
  cluster_bad_message,     ///< a cluster message that does not decode
  cluster_unavailable,     ///< the pub/sub backend (Redis) is not reachable

  // --- HTTP/1.1 requests (answered, then the connection closes) ---
  http_header_too_large,   ///< 431: too many header fields, or too many header bytes
  http_bad_framing,        ///< 400: RFC 9112 forbids the Transfer-Encoding / Content-Length given
  http_unsupported_coding, ///< 501: a transfer coding other than chunked
  http_bad_request,        ///< 400: a request that does not parse
  http_server_busy,        ///< 503: the server-wide inbound budget is spent (max_inbound_buffered)
  // --- TLS (server side) ---
  tls_bad_file,            ///< a certificate, key or CA file that cannot be read or used
  tls_handshake_failed,    ///< the peer's handshake failed (not TLS, old version, bad certificate)
  tls_bad_record,          ///< a TLS record that does not decrypt or parse after the handshake
};

/// Coarse kinds of failure that errc values map onto.
enum class condition {
  protocol_violation = 1,  ///< the peer broke the protocol
  limit_exceeded,          ///< a size or count limit was hit
  timeout,                 ///< something did not happen in time
  closed,                  ///< the connection or session is gone
  refused,                 ///< a handshake or request was refused
};

/// The category of sio::errc codes ("sio"); message() names each code.
const std::error_category& error_category() noexcept;
/// The category of sio::condition values; it says which codes are which kind.
const std::error_category& condition_category() noexcept;

/// Makes an errc a std::error_code (found by argument-dependent lookup).
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}
/// Makes a condition a std::error_condition (found by argument-dependent lookup).
inline std::error_condition make_error_condition(condition c) noexcept {
  return {static_cast<int>(c), condition_category()};
}

}  // namespace sio

template <> struct std::is_error_code_enum<sio::errc> : std::true_type {};
template <> struct std::is_error_condition_enum<sio::condition> : std::true_type {};
