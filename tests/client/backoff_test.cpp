// Reconnection delays with an injected random source.
#include "client/backoff.hpp"

#include <gtest/gtest.h>

namespace sio::client {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromMinUpToMaxWithoutJitter) {
  Backoff b({1000ms, 5000ms, 2.0, 0.0});
  EXPECT_EQ(b.next(), 1000ms);
  EXPECT_EQ(b.next(), 2000ms);
  EXPECT_EQ(b.next(), 4000ms);
  EXPECT_EQ(b.next(), 5000ms);
  EXPECT_EQ(b.next(), 5000ms);
  EXPECT_EQ(b.attempts(), 5u);
}

TEST(Backoff, ResetStartsOver) {
  Backoff b({1000ms, 5000ms, 2.0, 0.0});
  b.next();
  b.next();
  b.reset();
  EXPECT_EQ(b.attempts(), 0u);
  EXPECT_EQ(b.next(), 1000ms);
}

TEST(Backoff, JitterMovesTheDelayBothWays) {
  double r = 0.0;
  Backoff b({1000ms, 5000ms, 2.0, 0.5}, [&] { return r; });
  r = 0.0;  // lowest: 1000 * (1 - 0.5)
  EXPECT_EQ(b.next(), 500ms);
  r = 1.0;  // highest: 2000 * (1 + 0.5)
  EXPECT_EQ(b.next(), 3000ms);
  r = 0.5;  // middle: unchanged
  EXPECT_EQ(b.next(), 4000ms);
}

TEST(Backoff, TheCapHoldsAfterJitter) {
  Backoff b({1000ms, 5000ms, 2.0, 0.5}, [] { return 1.0; });
  for (int i = 0; i < 3; ++i) b.next();
  EXPECT_EQ(b.next(), 5000ms);  // 8000 * 1.5, capped
}

TEST(Backoff, ManyAttemptsStayFinite) {
  Backoff b({1000ms, 5000ms, 2.0, 0.5}, [] { return 0.0; });
  for (int i = 0; i < 2000; ++i) b.next();
  EXPECT_EQ(b.next(), 5000ms);  // huge * 0.5 is still capped
}

TEST(Backoff, DefaultsMatchTheJsClient) {
  Backoff b({});
  EXPECT_EQ(b.params().min, 1000ms);
  EXPECT_EQ(b.params().max, 5000ms);
  EXPECT_EQ(b.params().jitter, 0.5);
  for (int i = 0; i < 20; ++i) {
    const auto d = b.next();
    EXPECT_GE(d, 0ms);
    EXPECT_LE(d, 5000ms);
  }
}

}  // namespace
}  // namespace sio::client
