#include <gtest/gtest.h>

#include "wire/base64.hpp"

namespace sio::wire {
namespace {

std::string enc(std::string_view s) {
  std::string out;
  base64_append(out, s);
  return out;
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(enc(""), "");
  EXPECT_EQ(enc("f"), "Zg==");
  EXPECT_EQ(enc("fo"), "Zm8=");
  EXPECT_EQ(enc("foo"), "Zm9v");
  EXPECT_EQ(enc("foob"), "Zm9vYg==");
  EXPECT_EQ(enc("fooba"), "Zm9vYmE=");
  EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    std::string back;
    ASSERT_TRUE(base64_decode_append(back, enc(all.substr(0, n))));
    EXPECT_EQ(back, all.substr(0, n));
  }
}

TEST(Base64, RejectsMalformedInput) {
  std::string out = "keep";
  EXPECT_FALSE(base64_decode_append(out, "Zg="));    // length not a multiple of 4
  EXPECT_FALSE(base64_decode_append(out, "Z!=="));   // bad character
  EXPECT_FALSE(base64_decode_append(out, "=Zg="));   // padding in the middle
  EXPECT_FALSE(base64_decode_append(out, "Zg==Zg=="));
  EXPECT_EQ(out, "keep");  // untouched on failure
}

}  // namespace
}  // namespace sio::wire
