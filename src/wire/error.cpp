#include <sio/error.hpp>

namespace sio {
namespace {

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sio"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ws_reserved_bits: return "reserved bits set";
      case errc::ws_bad_opcode: return "reserved opcode";
      case errc::ws_unmasked_frame: return "client frame is not masked";
      case errc::ws_masked_frame: return "server frame is masked";
      case errc::ws_control_fragmented: return "fragmented control frame";
      case errc::ws_control_too_long: return "control frame payload over 125 bytes";
      case errc::ws_bad_continuation: return "continuation frame without a message";
      case errc::ws_expected_continuation: return "data frame inside a fragmented message";
      case errc::ws_bad_length: return "invalid payload length";
      case errc::ws_invalid_utf8: return "invalid UTF-8";
      case errc::ws_bad_close_code: return "invalid close code";
      case errc::ws_bad_close_payload: return "invalid close frame payload";
      case errc::ws_message_too_big: return "message too big";
      case errc::ws_bad_handshake: return "bad WebSocket handshake";
      case errc::eio_unknown_transport: return "Transport unknown";
      case errc::eio_unknown_sid: return "Session ID unknown";
      case errc::eio_bad_handshake_method: return "Bad handshake method";
      case errc::eio_bad_request: return "Bad request";
      case errc::eio_forbidden: return "Forbidden";
      case errc::eio_unsupported_version: return "Unsupported protocol version";
      case errc::eio_bad_packet: return "invalid Engine.IO packet";
      case errc::eio_bad_payload: return "invalid Engine.IO payload";
      case errc::eio_payload_too_large: return "payload too large";
      case errc::eio_ping_timeout: return "ping timeout";
      case errc::eio_transport_closed: return "transport close";
      case errc::eio_transport_error: return "transport error";
      case errc::eio_forced_close: return "forced close";
      case errc::eio_parse_error: return "parse error";
      case errc::eio_slow_consumer: return "output buffer limit reached";
      case errc::sio_bad_packet: return "invalid Socket.IO packet";
      case errc::sio_invalid_namespace: return "Invalid namespace";
      case errc::sio_too_many_attachments: return "too many attachments";
      case errc::sio_connect_timeout: return "connect timeout";
      case errc::sio_ack_timeout: return "operation has timed out";
      case errc::sio_not_connected: return "socket is not connected";
      case errc::sio_buffer_full: return "offline buffer is full";
      case errc::sio_remote_timeout: return "timeout reached: only some servers answered";
      case errc::timed_out: return "timed out";
      case errc::closed: return "closed";
      case errc::operation_aborted: return "operation aborted";
      case errc::cluster_bad_message: return "invalid cluster message";
      case errc::cluster_unavailable: return "cluster backend unavailable";
      case errc::http_header_too_large: return "Request Header Fields Too Large";
      case errc::http_bad_framing: return "Bad Request: invalid message framing";
      case errc::http_unsupported_coding: return "Not Implemented: unsupported transfer coding";
      case errc::http_bad_request: return "Bad Request";
      case errc::http_server_busy: return "Server busy: too much inbound data held, try again later";
      case errc::tls_bad_file: return "TLS certificate, key or CA file unusable";
      case errc::tls_handshake_failed: return "TLS handshake failed";
      case errc::tls_bad_record: return "TLS record invalid";
    }
    return "unknown sio error";
  }

  std::error_condition default_error_condition(int ev) const noexcept override {
    switch (static_cast<errc>(ev)) {
      case errc::ws_message_too_big:
      case errc::eio_payload_too_large:
      case errc::eio_slow_consumer:
      case errc::sio_too_many_attachments:
      case errc::sio_buffer_full:
      case errc::http_header_too_large:
      case errc::http_server_busy:
        return condition::limit_exceeded;
      case errc::eio_ping_timeout:
      case errc::sio_connect_timeout:
      case errc::sio_ack_timeout:
      case errc::sio_remote_timeout:
      case errc::timed_out:
        return condition::timeout;
      case errc::eio_transport_closed:
      case errc::eio_forced_close:
      case errc::sio_not_connected:
      case errc::closed:
      case errc::operation_aborted:
      case errc::cluster_unavailable:
        return condition::closed;
      case errc::eio_unknown_transport:
      case errc::eio_unknown_sid:
      case errc::eio_bad_handshake_method:
      case errc::eio_bad_request:
      case errc::eio_forbidden:
      case errc::eio_unsupported_version:
      case errc::sio_invalid_namespace:
      case errc::ws_bad_handshake:
      case errc::tls_bad_file:
      case errc::tls_handshake_failed:
        return condition::refused;
      default:
        return condition::protocol_violation;
    }
  }
};

class cond_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sio.condition"; }
  std::string message(int ev) const override {
    switch (static_cast<condition>(ev)) {
      case condition::protocol_violation: return "protocol violation";
      case condition::limit_exceeded: return "limit exceeded";
      case condition::timeout: return "timeout";
      case condition::closed: return "closed";
      case condition::refused: return "refused";
    }
    return "unknown condition";
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const category c;
  return c;
}
const std::error_category& condition_category() noexcept {
  static const cond_category c;
  return c;
}

}  // namespace sio
