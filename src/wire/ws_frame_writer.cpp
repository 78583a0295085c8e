// Frame headers and whole frames for sending.
#include <cstring>

#include "wire/ws_frame.hpp"

namespace sio::wire::ws {

std::size_t write_header(char* out, Opcode op, bool fin, std::uint64_t payload_len,
                         const std::uint32_t* mask_key) noexcept {
  out[0] = static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(op));
  const std::uint8_t mask_bit = mask_key ? 0x80 : 0x00;
  std::size_t n = 2;
  // The shortest length encoding, as section 5.2 requires.
  if (payload_len < 126) {
    out[1] = static_cast<char>(mask_bit | payload_len);
  } else if (payload_len <= 0xFFFF) {
    out[1] = static_cast<char>(mask_bit | 126);
    out[2] = static_cast<char>(payload_len >> 8);
    out[3] = static_cast<char>(payload_len);
    n = 4;
  } else {
    out[1] = static_cast<char>(mask_bit | 127);
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>(payload_len >> (56 - 8 * i));
    n = 10;
  }
  if (mask_key) {
    std::memcpy(out + n, mask_key, 4);
    n += 4;
  }
  return n;
}

template <Role R>
std::string encode_frame(Opcode op, std::string_view payload, bool fin, std::uint32_t mask_key) {
  constexpr bool masked = R == Role::client;
  std::string out(max_header_size + payload.size(), '\0');
  const std::size_t h = write_header(out.data(), op, fin, payload.size(), masked ? &mask_key : nullptr);
  if (!payload.empty()) std::memcpy(out.data() + h, payload.data(), payload.size());
  if constexpr (masked) apply_mask(out.data() + h, payload.size(), mask_key);
  out.resize(h + payload.size());
  return out;
}

template std::string encode_frame<Role::server>(Opcode, std::string_view, bool, std::uint32_t);
template std::string encode_frame<Role::client>(Opcode, std::string_view, bool, std::uint32_t);

}  // namespace sio::wire::ws
