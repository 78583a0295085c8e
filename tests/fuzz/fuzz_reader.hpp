// A stateful fuzzer's script: bytes taken from the front of the input, never
// past its end (missing bytes read as 0, a short read as what is left).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sio::fuzz {

struct Reader {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::string_view bytes(std::size_t k) {
    k = std::min(k, n);
    std::string_view v(reinterpret_cast<const char*>(p), k);
    p += k;
    n -= k;
    return v;
  }
};

}  // namespace sio::fuzz
