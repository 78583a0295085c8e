// The arena's simulation, with no I/O and no clock: players steer with inputs
// (a direction and a sequence number), run around a walled arena and collect
// coins; each coin taken is a point and reappears elsewhere. step() advances
// one fixed tick. Given the same calls in the same order, two worlds end in the
// same state (coins and spawns come from a seeded generator), so the unit tests
// in tests/apps/game/ check it without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace game {

struct WorldConfig {
  double width = 960;          // arena size, in world units (the page draws 1 unit = 1 CSS pixel)
  double height = 600;
  double speed = 240;          // units per second at full stick
  double player_radius = 14;
  double coin_radius = 8;
  std::size_t coins = 6;       // coins in the arena at any time
  std::size_t max_players = 32;  // per world; add_player() refuses more
  std::uint64_t seed = 1;      // coins and spawn points
};

// One input from a page: a direction (each of dx, dy is -1, 0 or 1) held
// until the next input. seq numbers the page's inputs; older ones are stale.
struct Input {
  std::uint32_t seq = 0;
  int dx = 0;
  int dy = 0;
};

struct Player {
  std::uint32_t id = 0;
  std::string name;
  double x = 0, y = 0;
  int dx = 0, dy = 0;          // the input in force
  std::uint32_t seq = 0;       // the last input applied (0: none yet)
  std::uint32_t score = 0;
  bool connected = true;       // false: frozen in place, waiting for its page to return
};

struct Coin {
  std::uint32_t id = 0;
  double x = 0, y = 0;
};

class World {
 public:
  enum class InputResult { applied, stale, unknown_player };

  explicit World(WorldConfig config = {});

  // A new player at a free-ish spawn point; nullopt when the world is full.
  std::optional<std::uint32_t> add_player(std::string name);
  bool remove_player(std::uint32_t id);
  // A disconnected player stands still (its input is cleared) until reconnected.
  bool set_connected(std::uint32_t id, bool connected);
  // Applies `in` if its seq is newer than the player's last; directions outside
  // -1..1 are clamped (the protocol layer refuses them before they get here).
  InputResult apply_input(std::uint32_t id, const Input& in);

  // One tick of `dt` seconds: moves, then coin pick-ups (in player id order).
  void step(double dt);

  const WorldConfig& config() const { return config_; }
  std::uint64_t tick() const { return tick_; }
  const std::map<std::uint32_t, Player>& players() const { return players_; }
  const std::vector<Coin>& coins() const { return coins_; }
  const Player* player(std::uint32_t id) const;

 private:
  double random_unit();  // [0, 1), from the seeded generator
  Coin new_coin();

  WorldConfig config_;
  std::uint64_t rng_;
  std::uint64_t tick_ = 0;
  std::uint32_t next_player_ = 1;
  std::uint32_t next_coin_ = 1;
  std::map<std::uint32_t, Player> players_;  // ordered: deterministic iteration
  std::vector<Coin> coins_;
};

}  // namespace game
