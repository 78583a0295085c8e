// sio-game's simulation (apps/sio-game/world.hpp): movement, walls, coins,
// inputs' sequence numbers, dropped players, and determinism.
#include "world.hpp"

#include <cmath>
#include <cstdint>
#include <random>

#include <gtest/gtest.h>

namespace game {
namespace {

constexpr double kDt = 1.0 / 30;

// A world with no coins in the way unless asked for.
World empty_world(std::size_t coins = 0) {
  WorldConfig c;
  c.coins = coins;
  return World(c);
}

TEST(GameWorld, InputMovesThePlayerAtItsSpeed) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  const Player start = *w.player(id);
  ASSERT_EQ(w.apply_input(id, {1, 1, 0}), World::InputResult::applied);
  for (int i = 0; i < 3; ++i) w.step(kDt);
  const Player& p = *w.player(id);
  const double expected = std::min(start.x + 3 * kDt * w.config().speed, w.config().width - w.config().player_radius);
  EXPECT_NEAR(p.x, expected, 1e-9);
  EXPECT_DOUBLE_EQ(p.y, start.y);
  EXPECT_EQ(p.seq, 1u);
  EXPECT_EQ(w.tick(), 3u);
}

TEST(GameWorld, TheInputHoldsUntilTheNextOne) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  w.apply_input(id, {1, 0, 1});
  w.step(kDt);
  const double y1 = w.player(id)->y;
  w.step(kDt);
  EXPECT_GT(w.player(id)->y, y1);
  w.apply_input(id, {2, 0, 0});
  const double y2 = w.player(id)->y;
  w.step(kDt);
  EXPECT_DOUBLE_EQ(w.player(id)->y, y2);
}

TEST(GameWorld, DiagonalsAreNoFaster) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  const Player start = *w.player(id);
  w.apply_input(id, {1, start.x < 480 ? 1 : -1, start.y < 300 ? 1 : -1});
  w.step(kDt);
  const Player& p = *w.player(id);
  EXPECT_NEAR(std::hypot(p.x - start.x, p.y - start.y), kDt * w.config().speed, 1e-9);
}

TEST(GameWorld, WallsStopPlayers) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  w.apply_input(id, {1, -1, -1});
  for (int i = 0; i < 300; ++i) w.step(kDt);  // 10 s: far enough to cross the arena
  EXPECT_DOUBLE_EQ(w.player(id)->x, w.config().player_radius);
  EXPECT_DOUBLE_EQ(w.player(id)->y, w.config().player_radius);
  w.apply_input(id, {2, 1, 1});
  for (int i = 0; i < 300; ++i) w.step(kDt);
  EXPECT_DOUBLE_EQ(w.player(id)->x, w.config().width - w.config().player_radius);
  EXPECT_DOUBLE_EQ(w.player(id)->y, w.config().height - w.config().player_radius);
}

TEST(GameWorld, StaleAndRepeatedSequenceNumbersAreIgnored) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  EXPECT_EQ(w.apply_input(id, {5, 1, 0}), World::InputResult::applied);
  EXPECT_EQ(w.apply_input(id, {5, -1, 0}), World::InputResult::stale);
  EXPECT_EQ(w.apply_input(id, {4, 0, 1}), World::InputResult::stale);
  EXPECT_EQ(w.player(id)->dx, 1);
  EXPECT_EQ(w.player(id)->dy, 0);
  EXPECT_EQ(w.player(id)->seq, 5u);
  EXPECT_EQ(w.apply_input(99, {6, 1, 0}), World::InputResult::unknown_player);
}

TEST(GameWorld, DirectionsAreClampedToOneStep) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  w.apply_input(id, {1, 50, -7});
  EXPECT_EQ(w.player(id)->dx, 1);
  EXPECT_EQ(w.player(id)->dy, -1);
}

TEST(GameWorld, ADroppedPlayerStandsStillAndKeepsItsScore) {
  World w = empty_world();
  const std::uint32_t id = *w.add_player("ann");
  w.apply_input(id, {1, 1, 0});
  w.step(kDt);
  ASSERT_TRUE(w.set_connected(id, false));
  const Player before = *w.player(id);
  for (int i = 0; i < 10; ++i) w.step(kDt);
  EXPECT_DOUBLE_EQ(w.player(id)->x, before.x);
  EXPECT_FALSE(w.player(id)->connected);
  ASSERT_TRUE(w.set_connected(id, true));
  w.step(kDt);
  EXPECT_DOUBLE_EQ(w.player(id)->x, before.x);  // its old input was cleared
  EXPECT_EQ(w.apply_input(id, {2, 1, 0}), World::InputResult::applied);  // the page's next seq goes on
}

TEST(GameWorld, TouchingACoinScoresAndTheCoinMoves) {
  WorldConfig c;
  c.coins = 1;
  World w(c);
  const std::uint32_t id = *w.add_player("ann");
  const Coin coin = w.coins().at(0);
  // Walk to the coin, one axis at a time, with fresh inputs.
  std::uint32_t seq = 0;
  for (int i = 0; i < 600 && w.player(id)->score == 0; ++i) {
    const Player& p = *w.player(id);
    const int dx = coin.x > p.x + 2 ? 1 : coin.x < p.x - 2 ? -1 : 0;
    const int dy = coin.y > p.y + 2 ? 1 : coin.y < p.y - 2 ? -1 : 0;
    w.apply_input(id, {++seq, dx, dy});
    w.step(kDt);
  }
  EXPECT_EQ(w.player(id)->score, 1u);
  ASSERT_EQ(w.coins().size(), 1u);
  EXPECT_NE(w.coins()[0].id, coin.id);
}

TEST(GameWorld, FullWorldRefusesPlayersAndRemovalFreesASeat) {
  WorldConfig c;
  c.max_players = 2;
  World w(c);
  const auto a = w.add_player("a");
  ASSERT_TRUE(a);
  ASSERT_TRUE(w.add_player("b"));
  EXPECT_FALSE(w.add_player("c"));
  EXPECT_TRUE(w.remove_player(*a));
  EXPECT_FALSE(w.remove_player(*a));
  const auto d = w.add_player("d");
  ASSERT_TRUE(d);
  EXPECT_NE(*d, *a);  // ids are not reused: an old token's player stays gone
}

// The same calls give the same world, whatever the seed; different seeds differ.
TEST(GameWorld, DeterministicGivenTheSameInputs) {
  for (std::uint64_t seed : {1ull, 7ull, 123456789ull}) {
    auto run = [seed] {
      WorldConfig c;
      c.seed = seed;
      World w(c);
      std::mt19937 script(static_cast<std::uint32_t>(seed));  // the "inputs", the same for both runs
      std::uint32_t seq[4] = {};
      for (int i = 0; i < 4; ++i) w.add_player("p" + std::to_string(i));
      for (int t = 0; t < 900; ++t) {
        const std::uint32_t id = 1 + script() % 4;
        w.apply_input(id, {++seq[id - 1], static_cast<int>(script() % 3) - 1, static_cast<int>(script() % 3) - 1});
        w.step(kDt);
      }
      return w;
    };
    const World a = run(), b = run();
    ASSERT_EQ(a.players().size(), b.players().size());
    std::uint32_t total = 0;
    for (const auto& [id, p] : a.players()) {
      const Player& q = b.players().at(id);
      EXPECT_EQ(p.x, q.x);
      EXPECT_EQ(p.y, q.y);
      EXPECT_EQ(p.score, q.score);
      total += p.score;
    }
    ASSERT_EQ(a.coins().size(), b.coins().size());
    for (std::size_t i = 0; i < a.coins().size(); ++i) {
      EXPECT_EQ(a.coins()[i].id, b.coins()[i].id);
      EXPECT_EQ(a.coins()[i].x, b.coins()[i].x);
    }
    EXPECT_GT(total, 0u) << "30 s of random walking should pick up some coin (seed " << seed << ")";
  }
  EXPECT_NE(World(WorldConfig{.seed = 1}).coins()[0].x, World(WorldConfig{.seed = 2}).coins()[0].x);
}

}  // namespace
}  // namespace game
