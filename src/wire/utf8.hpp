// UTF-8 validation, whole or streaming (state carries across fragments).
//
// A table-driven DFA over byte classes (see utf8.cpp): it rejects overlong
// forms, UTF-16 surrogates (U+D800..U+DFFF) and code points above U+10FFFF at
// the first byte that makes the text invalid, so a WebSocket text message can
// be failed while it is still arriving. Runs of ASCII are skipped a word at a
// time.
#pragma once

#include <cstdint>
#include <string_view>

namespace sio::wire {

bool is_valid_utf8(std::string_view s) noexcept;

class Utf8Validator {
 public:
  // False as soon as the bytes so far cannot start a valid UTF-8 text; once
  // false it stays false until reset().
  bool feed(std::string_view s) noexcept;
  // True when no code point is left incomplete.
  bool complete() const noexcept { return state_ == 0; }
  void reset() noexcept { state_ = 0; }

 private:
  // DFA state (a bit offset, see utf8.cpp); 0 = between code points.
  std::uint32_t state_ = 0;
};

}  // namespace sio::wire
