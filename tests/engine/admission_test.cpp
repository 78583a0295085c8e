// Admission of new sessions: the server-wide cap, the per-address cap, the
// per-address handshake rate (token bucket), places given back, and a table
// that forgets addresses it no longer needs.
#include "engine/admission.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sio::engine {
namespace {

using namespace std::chrono_literals;
using V = Admission::Verdict;
const Admission::Clock::time_point t0{};

TEST(Admission, WithoutLimitsItIsInactiveAndAdmitsEveryone) {
  Admission a({});
  EXPECT_FALSE(a.active());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.admit("10.0.0.1", t0), V::admitted);
}

TEST(Admission, ServerWideCap) {
  Admission a({.max_sessions = 2});
  EXPECT_TRUE(a.active());
  EXPECT_EQ(a.admit("a", t0), V::admitted);
  EXPECT_EQ(a.admit("b", t0), V::admitted);
  EXPECT_EQ(a.admit("c", t0), V::server_full);
  a.release("a", t0);
  EXPECT_EQ(a.admit("c", t0), V::admitted);
  EXPECT_EQ(a.sessions(), 2u);
}

TEST(Admission, PerAddressCap) {
  Admission a({.max_sessions_per_address = 2});
  EXPECT_EQ(a.admit("a", t0), V::admitted);
  EXPECT_EQ(a.admit("a", t0), V::admitted);
  EXPECT_EQ(a.admit("a", t0), V::address_full);
  EXPECT_EQ(a.admit("b", t0), V::admitted);  // others are not affected
  a.release("a", t0);
  EXPECT_EQ(a.admit("a", t0), V::admitted);
}

TEST(Admission, HandshakeRateIsATokenBucketPerAddress) {
  Admission a({.handshakes_per_second = 2, .handshake_burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a.admit("a", t0), V::admitted);  // the burst
  EXPECT_EQ(a.admit("a", t0), V::address_too_fast);
  EXPECT_EQ(a.admit("b", t0), V::admitted);
  EXPECT_EQ(a.admit("a", t0 + 400ms), V::address_too_fast);  // 0.8 of a token
  EXPECT_EQ(a.admit("a", t0 + 500ms), V::admitted);          // one token back
  EXPECT_EQ(a.admit("a", t0 + 500ms), V::address_too_fast);
  EXPECT_EQ(a.admit("a", t0 + 10s), V::admitted);            // refilled, never past the burst
  EXPECT_EQ(a.admit("a", t0 + 10s), V::admitted);
  EXPECT_EQ(a.admit("a", t0 + 10s), V::admitted);
  EXPECT_EQ(a.admit("a", t0 + 10s), V::address_too_fast);
}

TEST(Admission, ARefusalTakesNoPlace) {
  Admission a({.max_sessions = 10, .max_sessions_per_address = 1});
  EXPECT_EQ(a.admit("a", t0), V::admitted);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.admit("a", t0), V::address_full);
  EXPECT_EQ(a.sessions(), 1u);
}

TEST(Admission, ReleasingWhatWasNotAdmittedChangesNothing) {
  Admission a({.max_sessions = 1});
  a.release("nobody", t0);
  EXPECT_EQ(a.admit("a", t0), V::admitted);
  a.release("a", t0);
  a.release("a", t0);  // once only
  EXPECT_EQ(a.sessions(), 0u);
  EXPECT_EQ(a.admit("a", t0), V::admitted);
}

TEST(Admission, AddressesItNoLongerNeedsAreForgotten) {
  Admission a({.max_sessions_per_address = 5, .handshakes_per_second = 1, .handshake_burst = 1});
  // 100,000 addresses each make one handshake and leave: the table does not
  // keep them all (a bucket refilled and no session: nothing to remember).
  for (int i = 0; i < 100'000; ++i) {
    const std::string addr = "10." + std::to_string(i);
    const auto now = t0 + std::chrono::milliseconds(i);
    ASSERT_EQ(a.admit(addr, now), V::admitted);
    a.release(addr, now);
  }
  EXPECT_LE(a.addresses(), 2048u);
  EXPECT_EQ(a.sessions(), 0u);
}

}  // namespace
}  // namespace sio::engine
