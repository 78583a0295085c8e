// UTF-8 validation: whole strings, streaming, and fail-fast, checked against
// a straightforward reference decoder written independently of the DFA.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "wire/utf8.hpp"

namespace sio::wire {
namespace {

enum class Ref { invalid, prefix, valid };

// Decodes code point by code point. A cut-off last sequence is `prefix` when
// some continuation of it would encode an allowed code point.
Ref reference(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    int need;
    std::uint32_t cp, min;
    if ((b & 0xE0) == 0xC0) need = 1, cp = b & 0x1F, min = 0x80;
    else if ((b & 0xF0) == 0xE0) need = 2, cp = b & 0x0F, min = 0x800;
    else if ((b & 0xF8) == 0xF0) need = 3, cp = b & 0x07, min = 0x10000;
    else return Ref::invalid;
    int got = 0;
    while (got < need && i + 1 + got < s.size()) {
      const auto c = static_cast<std::uint8_t>(s[i + 1 + got]);
      if ((c & 0xC0) != 0x80) return Ref::invalid;
      cp = (cp << 6) | (c & 0x3F);
      ++got;
    }
    if (got < need) {
      const int bits = 6 * (need - got);
      std::uint32_t lo = cp << bits, hi = lo | ((1u << bits) - 1);
      lo = std::max(lo, min);
      hi = std::min<std::uint32_t>(hi, 0x10FFFF);
      if (lo > hi) return Ref::invalid;
      if (lo >= 0xD800 && hi <= 0xDFFF) return Ref::invalid;
      return Ref::prefix;
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return Ref::invalid;
    i += 1 + static_cast<std::size_t>(need);
  }
  return Ref::valid;
}

void expect_matches_reference(const std::string& s) {
  const Ref ref = reference(s);
  Utf8Validator v;
  const bool fed = v.feed(s);
  ASSERT_EQ(fed, ref != Ref::invalid) << testing::PrintToString(s);
  if (fed) ASSERT_EQ(v.complete(), ref == Ref::valid) << testing::PrintToString(s);
  ASSERT_EQ(is_valid_utf8(s), ref == Ref::valid) << testing::PrintToString(s);
}

TEST(Utf8, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello, world"));
  EXPECT_TRUE(is_valid_utf8("\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5"));  // κόσμε
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));                                    // U+0080
  EXPECT_TRUE(is_valid_utf8("\xE0\xA0\x80"));                                // U+0800
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));                                // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));                                // U+E000
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));                                // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x90\x80\x80"));                            // U+10000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));                            // U+10FFFF
}

TEST(Utf8, RejectsOverlongSurrogatesAndTooLarge) {
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("a\xC2"));  // cut off
}

TEST(Utf8, FailsAtTheFirstImpossibleByte) {
  for (const char* s : {"\xF4\x90", "\xED\xA0", "\xE0\x80", "\xF0\x80", "\xC0", "\xF5", "ok\x80"}) {
    Utf8Validator v;
    EXPECT_FALSE(v.feed(s)) << testing::PrintToString(std::string(s));
  }
  Utf8Validator v;
  EXPECT_TRUE(v.feed("\xF4\x8F"));  // still U+10Fxxx
  EXPECT_FALSE(v.complete());
}

TEST(Utf8, RejectionIsStickyUntilReset) {
  Utf8Validator v;
  EXPECT_FALSE(v.feed("\xFF"));
  EXPECT_FALSE(v.feed("abc"));
  v.reset();
  EXPECT_TRUE(v.feed("abc"));
  EXPECT_TRUE(v.complete());
}

TEST(Utf8, StreamingAcrossEverySplitEqualsWhole) {
  const std::string text =
      "ascii \xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5 \xF0\x9F\x98\x80 \xEF\xBF\xBF end";
  for (std::size_t a = 0; a <= text.size(); ++a) {
    for (std::size_t b = a; b <= text.size(); ++b) {
      Utf8Validator v;
      ASSERT_TRUE(v.feed(text.substr(0, a)));
      ASSERT_TRUE(v.feed(text.substr(a, b - a)));
      ASSERT_TRUE(v.feed(text.substr(b)));
      ASSERT_TRUE(v.complete()) << a << "," << b;
    }
  }
}

TEST(Utf8, LongAsciiRunsWithOneBadByteAnywhere) {
  // Exercises the word-at-a-time ASCII skip at every alignment.
  for (std::size_t at = 0; at < 80; ++at) {
    std::string s(80, 'x');
    s[at] = '\x80';
    EXPECT_FALSE(is_valid_utf8(s)) << at;
    s[at] = 'y';
    EXPECT_TRUE(is_valid_utf8(s));
  }
}

TEST(Utf8, AllOneAndTwoByteStringsMatchReference) {
  for (int a = 0; a < 256; ++a) {
    expect_matches_reference(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b)
      expect_matches_reference({static_cast<char>(a), static_cast<char>(b)});
  }
}

TEST(Utf8, BoundaryBytesInFourByteStringsMatchReference) {
  // Every class boundary of UTF-8, in all 4-byte combinations.
  const std::vector<int> edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                  0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4,
                                  0xF5, 0xFF};
  for (int a : edges)
    for (int b : edges)
      for (int c : edges)
        for (int d : edges)
          expect_matches_reference({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                    static_cast<char>(d)});
}

TEST(Utf8, EveryCodePointRoundTrips) {
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    std::string s;
    if (cp < 0x80) {
      s = {static_cast<char>(cp)};
    } else if (cp < 0x800) {
      s = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else if (cp < 0x10000) {
      s = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
           static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      s = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
           static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    ASSERT_EQ(is_valid_utf8(s), !surrogate) << cp;
  }
}

}  // namespace
}  // namespace sio::wire
