// UTF-8 validation, whole or streaming (state carries across fragments).
#pragma once

#include <cstdint>
#include <string_view>

namespace sio::wire {

bool is_valid_utf8(std::string_view s) noexcept;

class Utf8Validator {
 public:
  // False as soon as the bytes so far cannot start a valid UTF-8 text.
  bool feed(std::string_view s) noexcept;
  // True when no code point is left incomplete.
  bool complete() const noexcept { return state_ == 0; }
  void reset() noexcept { state_ = 0; }

 private:
  std::uint32_t state_ = 0;
};

}  // namespace sio::wire
