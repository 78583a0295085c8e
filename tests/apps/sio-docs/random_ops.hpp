// Random texts and operations for the property tests: inserted text mixes
// ASCII, accents, a combining mark, CJK and emoji (outside the BMP).
#pragma once

#include <random>
#include <string>

#include "ot.hpp"

namespace docs::test {

inline std::u32string random_text(std::mt19937& rng, std::size_t max_len) {
  static const std::u32string kPieces = U"abcxyz é漢👋🎉\n\u0301";
  std::size_t n = std::uniform_int_distribution<std::size_t>(1, max_len)(rng);
  std::u32string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kPieces[std::uniform_int_distribution<std::size_t>(0, kPieces.size() - 1)(rng)]);
  }
  return out;
}

// An operation on a text of `length` code points.
inline ot::Operation random_op(std::mt19937& rng, std::size_t length) {
  ot::Operation op;
  std::size_t left = length;
  auto pick = [&](std::size_t hi) { return std::uniform_int_distribution<std::size_t>(1, hi)(rng); };
  while (left > 0) {
    switch (std::uniform_int_distribution<int>(0, 3)(rng)) {
      case 0:
      case 1: {
        std::size_t n = pick(std::min<std::size_t>(left, 6));
        op.retain(n);
        left -= n;
        break;
      }
      case 2:
        op.insert(random_text(rng, 4));
        break;
      default: {
        std::size_t n = pick(std::min<std::size_t>(left, 4));
        op.remove(n);
        left -= n;
        break;
      }
    }
  }
  if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) op.insert(random_text(rng, 3));
  return op;
}

}  // namespace docs::test
