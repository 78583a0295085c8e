// MemoryTrimmer: requests from any thread coalesce into one trim, run on its
// loop after kDelay; the next one waits for kMinInterval since the last.
#include "net/memory_trim.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sio::net {
namespace {

TEST(MemoryTrimmer, RequestsFromManyThreadsMakeOneTrim) {
  AsioLoop loop(0);
  MemoryTrimmer trimmer(loop);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j) trimmer.request();
    });
  for (auto& t : threads) t.join();
  // The trim runs after kDelay; then this timer, started later with the
  // same delay, stops the loop.
  loop.post([&] { loop.start_timer(MemoryTrimmer::kDelay, [&] { loop.stop(); }); });
  loop.run();
  EXPECT_EQ(trimmer.trims(), 1u);
}

TEST(MemoryTrimmer, TheNextTrimWaitsForTheInterval) {
  AsioLoop loop(0);
  MemoryTrimmer trimmer(loop);
  trimmer.request();
  std::size_t at_second_delay = 0;
  loop.post([&] {
    loop.start_timer(MemoryTrimmer::kDelay, [&] {
      // The first trim ran just before; a second request now waits for the
      // interval, so one more kDelay later there is still only one.
      trimmer.request();
      loop.start_timer(MemoryTrimmer::kDelay * 2, [&] {
        at_second_delay = trimmer.trims();
        loop.stop();
      });
    });
  });
  loop.run();
  EXPECT_EQ(at_second_delay, 1u);
}

}  // namespace
}  // namespace sio::net
