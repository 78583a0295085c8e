// UTF-8 validation, whole or streaming (state carries across fragments).
//
// A table-driven DFA over byte classes (see utf8.cpp): it rejects overlong
// forms, UTF-16 surrogates (U+D800..U+DFFF) and code points above U+10FFFF at
// the first byte that makes the text invalid, so a WebSocket text message can
// be failed while it is still arriving. Runs of ASCII are skipped a word at a
// time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sio::wire {

bool is_valid_utf8(std::string_view s) noexcept;

// Lone UTF-16 surrogates, which JavaScript strings may hold (half of an emoji
// cut by substring), are kept in generalized UTF-8 as WTF-8 does: code point
// U+D800..U+DFFF as the three bytes ED A0..BF 80..BF. They are not UTF-8
// (is_valid_utf8 rejects them) and never form a pair: a high surrogate
// followed by a low one is one supplementary code point in four bytes.
// JSON (wire/sio_json.hpp) reads and writes them as \uXXXX escapes.
inline void append_surrogate(std::string& out, std::uint16_t unit) {
  out.push_back(static_cast<char>(0xE0 | (unit >> 12)));
  out.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
}
// The surrogate encoded by the three bytes at `p`, or 0 when they are not one.
inline std::uint16_t surrogate_at(const char* p) noexcept {
  const auto b0 = static_cast<unsigned char>(p[0]), b1 = static_cast<unsigned char>(p[1]),
             b2 = static_cast<unsigned char>(p[2]);
  if (b0 != 0xED || b1 < 0xA0 || b1 > 0xBF || (b2 & 0xC0) != 0x80) return 0;
  return static_cast<std::uint16_t>(0xD000 | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
}

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
