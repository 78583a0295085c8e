// Accept-Encoding negotiation for polling responses, as engine.io (the
// `accepts` package) picks between gzip and deflate. The same cases run
// against npm engine.io in tests/interop/engineio/http_compression.test.mjs.
#include "wire/http_coding.hpp"

#include <gtest/gtest.h>

using namespace sio::wire;

namespace {
constexpr auto gzip = ContentCoding::gzip;
constexpr auto deflate = ContentCoding::deflate;
constexpr auto none = ContentCoding::identity;
}  // namespace

TEST(HttpCoding, NamedCodings) {
  EXPECT_EQ(preferred_coding("gzip"), gzip);
  EXPECT_EQ(preferred_coding("deflate"), deflate);
  EXPECT_EQ(preferred_coding("gzip, deflate, br"), gzip);  // what browsers send
  EXPECT_EQ(preferred_coding("GZip"), gzip);
  EXPECT_EQ(preferred_coding("  deflate  "), deflate);
  EXPECT_EQ(preferred_coding("br, zstd"), none);
  EXPECT_EQ(preferred_coding("identity"), none);
  EXPECT_EQ(preferred_coding(""), none);
  EXPECT_EQ(preferred_coding(",,,"), none);
}

TEST(HttpCoding, QualityThenSpecificityThenHeaderOrderThenOurs) {
  EXPECT_EQ(preferred_coding("deflate, gzip"), deflate);  // equal q: the header's order
  EXPECT_EQ(preferred_coding("gzip;q=0.5, deflate"), deflate);
  EXPECT_EQ(preferred_coding("gzip;q=0.5, deflate;q=0.4"), gzip);
  EXPECT_EQ(preferred_coding("*"), gzip);  // equal in every way: gzip first
  EXPECT_EQ(preferred_coding("*;q=0.1, deflate;q=0.2"), deflate);
  EXPECT_EQ(preferred_coding("*, deflate"), deflate);  // named beats "*" at equal q
  EXPECT_EQ(preferred_coding("gzip;q=0.2, gzip;q=0.8, deflate;q=0.5"), gzip);  // a name's best element
}

TEST(HttpCoding, ZeroOrUnreadableQualityRefuses) {
  EXPECT_EQ(preferred_coding("gzip;q=0"), none);
  EXPECT_EQ(preferred_coding("gzip;q=0, *"), deflate);  // gzip refused by name, deflate by "*"
  EXPECT_EQ(preferred_coding("*;q=0"), none);
  EXPECT_EQ(preferred_coding("gzip;q=abc"), none);
  EXPECT_EQ(preferred_coding("gzip;q"), none);
  EXPECT_EQ(preferred_coding("gzip;q=0.5xyz"), gzip);   // parseFloat reads the leading number
  EXPECT_EQ(preferred_coding("gzip; q=0.3, deflate;q=0.2"), gzip);
  EXPECT_EQ(preferred_coding("gzip;q =0, deflate;q=0.5"), gzip);  // "q " is not q: gzip keeps q=1
  EXPECT_EQ(preferred_coding("gzip;level=1;q=0.1, deflate;q=0.2"), deflate);
}

TEST(HttpCoding, MalformedElementsAreSkipped) {
  EXPECT_EQ(preferred_coding("gzip deflate"), none);  // one element with a space in its name
  EXPECT_EQ(preferred_coding("gzip deflate, deflate"), deflate);
  EXPECT_EQ(preferred_coding(";q=1, gzip"), gzip);
}
