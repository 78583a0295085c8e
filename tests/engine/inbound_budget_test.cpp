// engine::InboundBudget: reservations past the server-wide limit are refused,
// leases give their bytes back, and the drained hook runs once per fall from
// high to low usage.
#include "engine/inbound_budget.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sio::engine {
namespace {

TEST(InboundBudget, RefusesPastTheLimitAcrossLoops) {
  InboundBudget b(1000, 3);
  EXPECT_TRUE(b.try_reserve(0, 400));
  EXPECT_TRUE(b.try_reserve(1, 400));
  EXPECT_FALSE(b.try_reserve(2, 201));  // 1001 in all
  EXPECT_TRUE(b.try_reserve(2, 200));
  EXPECT_EQ(b.used(), 1000u);
  b.release(1, 400);
  EXPECT_TRUE(b.try_reserve(0, 400));
  EXPECT_EQ(b.used(), 1000u);
}

TEST(InboundBudget, NoLimitCountsButNeverRefuses) {
  InboundBudget b(0, 2);
  EXPECT_TRUE(b.try_reserve(0, std::size_t{1} << 40));
  EXPECT_EQ(b.used(), std::size_t{1} << 40);
}

TEST(InboundBudget, LeasesHoldTheirTotalAndGiveItBack) {
  InboundBudget b(1000, 2);
  {
    InboundBudget::Lease a(&b, 0);
    EXPECT_TRUE(a.hold(300));
    EXPECT_TRUE(a.hold(200));  // already held
    EXPECT_TRUE(a.hold(600));
    EXPECT_EQ(b.used(), 600u);
    InboundBudget::Lease c(&b, 1);
    EXPECT_FALSE(c.hold(401));
    EXPECT_EQ(c.bytes(), 0u);
    EXPECT_TRUE(c.hold(400));
    InboundBudget::Lease moved = std::move(a);  // e.g. a body handed to another loop
    EXPECT_EQ(a.bytes(), 0u);
    EXPECT_EQ(moved.bytes(), 600u);
    c.reset();
    EXPECT_EQ(b.used(), 600u);
  }
  EXPECT_EQ(b.used(), 0u);
  InboundBudget::Lease none;  // no budget: holds anything, counts nothing
  EXPECT_TRUE(none.hold(std::size_t{1} << 40));
}

TEST(InboundBudget, DrainedOncePerFallFromHighToLow) {
  InboundBudget b(1600, 1);  // high 400, low 100
  int drained = 0;
  b.on_drained([&] { ++drained; });
  ASSERT_TRUE(b.try_reserve(0, 300));
  b.release(0, 300);  // never high
  EXPECT_EQ(drained, 0);
  ASSERT_TRUE(b.try_reserve(0, 500));
  b.release(0, 350);  // 150: not low yet
  EXPECT_EQ(drained, 0);
  b.release(0, 100);  // 50
  EXPECT_EQ(drained, 1);
  b.release(0, 50);
  EXPECT_EQ(drained, 1);  // once
  ASSERT_TRUE(b.try_reserve(0, 450));
  b.release(0, 450);
  EXPECT_EQ(drained, 2);
}

TEST(InboundBudget, ReleasedFromOtherThreads) {
  InboundBudget b(1 << 20, 4);
  std::vector<InboundBudget::Lease> leases;
  for (std::size_t i = 0; i < 64; ++i) {
    leases.emplace_back(&b, i % 4);
    ASSERT_TRUE(leases.back().hold(1024));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < leases.size(); i += 4) leases[i].reset();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(b.used(), 0u);
}

}  // namespace
}  // namespace sio::engine
