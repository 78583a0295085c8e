// Payload masking (RFC 6455 section 5.3): byte i of the payload is XORed with
// byte i % 4 of the key. The key's bytes are taken in the order they lie in
// memory, which is the order they have on the wire (read_header and
// write_header memcpy them), so no byte swapping is needed anywhere.
#include <bit>
#include <cstring>

#include "wire/ws_frame.hpp"

namespace sio::wire::ws {

void apply_mask(char* data, std::size_t n, std::uint32_t key, std::size_t offset) noexcept {
  if (n == 0) return;
  // Rotate the key so that its first byte in memory is key byte (offset % 4).
  const unsigned shift = static_cast<unsigned>(offset & 3) * 8;
  if (shift != 0) {
    key = std::endian::native == std::endian::little ? std::rotr(key, static_cast<int>(shift))
                                                     : std::rotl(key, static_cast<int>(shift));
  }
  const std::uint64_t k = (std::uint64_t{key} << 32) | key;
  std::size_t i = 0;
  // 32 bytes per iteration; the compiler turns these into vector loads.
  for (; i + 32 <= n; i += 32) {
    std::uint64_t w[4];
    std::memcpy(w, data + i, 32);
    w[0] ^= k;
    w[1] ^= k;
    w[2] ^= k;
    w[3] ^= k;
    std::memcpy(data + i, w, 32);
  }
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    w ^= k;
    std::memcpy(data + i, &w, 8);
  }
  // i is a multiple of 8 here, so the tail starts at key byte 0 again.
  unsigned char kb[8];
  std::memcpy(kb, &k, 8);
  for (std::size_t j = 0; i < n; ++i, ++j) data[i] = static_cast<char>(data[i] ^ kb[j]);
}

}  // namespace sio::wire::ws
