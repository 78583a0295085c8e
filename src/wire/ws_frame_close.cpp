// Close frames (RFC 6455 sections 5.5.1 and 7.4).
#include "wire/ws_frame.hpp"

namespace sio::wire::ws {

// Allowed on the wire: the codes defined by RFC 6455 that an endpoint may
// send, 1012-1014 (registered with IANA since: service restart, try again
// later, bad gateway), and 3000-4999 (libraries, applications). Never on the
// wire: 1004 (reserved), 1005, 1006, 1015 (reported locally only), anything
// else below 3000 (unassigned) and 5000 up. This matches Autobahn|Testsuite
// (case 7.7.x valid, 7.9.x invalid: 0, 999, 1004-1006, 1016, 1100, 2000, 2999)
// and the `ws` npm package, our interop peer.
bool valid_close_code(std::uint16_t code) noexcept {
  if (code >= 3000 && code <= 4999) return true;
  if (code < 1000 || code > 1014) return false;
  return code != 1004 && code != 1005 && code != 1006;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string out;
  if (code == close_code::no_status) return out;
  out.reserve(2 + reason.size());
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason);
  return out;
}

namespace detail {

sio::errc parse_close(std::string_view payload, std::uint16_t& code, std::string_view& reason) noexcept {
  if (payload.empty()) {
    code = close_code::no_status;
    reason = {};
    return {};
  }
  if (payload.size() == 1) return sio::errc::ws_bad_close_payload;
  code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                    static_cast<std::uint8_t>(payload[1]));
  if (!valid_close_code(code)) return sio::errc::ws_bad_close_code;
  reason = payload.substr(2);
  if (!is_valid_utf8(reason)) return sio::errc::ws_invalid_utf8;
  return {};
}

}  // namespace detail
}  // namespace sio::wire::ws
