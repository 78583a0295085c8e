// sio-notify's sign-in tokens: HMAC-SHA256 over "<name>.<expires>".
#include "token.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace notify;
const std::string kSecret = "a-secret-of-some-length";

TEST(NotifyToken, RoundTripsAndExpires) {
  const std::string t = issue_token(kSecret, "alice", 1000);
  EXPECT_EQ(t.rfind("alice.1000.", 0), 0u);
  EXPECT_EQ(t.size(), std::string("alice.1000.").size() + 64);  // hex SHA-256
  EXPECT_EQ(verify_token(kSecret, t, 999), "alice");
  EXPECT_EQ(verify_token(kSecret, t, 1000), std::nullopt);  // expired at its time
  EXPECT_EQ(verify_token("another-secret-entirely", t, 999), std::nullopt);
}

TEST(NotifyToken, TamperedOrMalformedIsRefused) {
  const std::string t = issue_token(kSecret, "alice", 1000);
  const std::string mac = t.substr(t.rfind('.') + 1);
  const std::vector<std::string> bad_tokens{"bob.1000." + mac,   "alice.1001." + mac,  "alice.1000." + mac + "0",
                                            "alice.1000",         "alice",              "",
                                            ".1000." + mac,       "alice.10x0." + mac,  "ali ce.1000." + mac,
                                            "alice.1000.." + mac, std::string(200, 'a')};
  for (const std::string& bad : bad_tokens) {
    EXPECT_EQ(verify_token(kSecret, bad, 0), std::nullopt) << bad;
  }
}

TEST(NotifyToken, Names) {
  EXPECT_TRUE(valid_name("alice"));
  EXPECT_TRUE(valid_name("A_b-9"));
  EXPECT_TRUE(valid_name(std::string(32, 'x')));
  EXPECT_FALSE(valid_name(std::string(33, 'x')));
  EXPECT_FALSE(valid_name(""));
  EXPECT_FALSE(valid_name("a.b"));
  EXPECT_FALSE(valid_name("a b"));
  EXPECT_FALSE(valid_name("*"));
  EXPECT_FALSE(valid_name("\xc3\xa9"));
}

TEST(NotifyToken, SecretsCompareWhole) {
  EXPECT_TRUE(equal_secret("abc", "abc"));
  EXPECT_FALSE(equal_secret("abc", "abd"));
  EXPECT_FALSE(equal_secret("abc", "ab"));
  EXPECT_FALSE(equal_secret("", "a"));
  EXPECT_EQ(random_secret().size(), 64u);
  EXPECT_NE(random_secret(), random_secret());
}

}  // namespace
