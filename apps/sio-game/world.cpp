#include "world.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace game {

World::World(WorldConfig config) : config_(config), rng_(config.seed) {
  coins_.reserve(config_.coins);
  for (std::size_t i = 0; i < config_.coins; ++i) coins_.push_back(new_coin());
}

// splitmix64: small, fast, and the same on every platform.
double World::random_unit() {
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

Coin World::new_coin() {
  const double m = config_.coin_radius * 2;
  Coin c;
  c.id = next_coin_++;
  c.x = m + random_unit() * (config_.width - 2 * m);
  c.y = m + random_unit() * (config_.height - 2 * m);
  return c;
}

std::optional<std::uint32_t> World::add_player(std::string name) {
  if (players_.size() >= config_.max_players) return std::nullopt;
  const double r = config_.player_radius;
  Player p;
  p.id = next_player_++;
  p.name = std::move(name);
  p.x = r + random_unit() * (config_.width - 2 * r);
  p.y = r + random_unit() * (config_.height - 2 * r);
  players_.emplace(p.id, std::move(p));
  return next_player_ - 1;
}

bool World::remove_player(std::uint32_t id) { return players_.erase(id) > 0; }

bool World::set_connected(std::uint32_t id, bool connected) {
  auto it = players_.find(id);
  if (it == players_.end()) return false;
  it->second.connected = connected;
  it->second.dx = it->second.dy = 0;
  return true;
}

World::InputResult World::apply_input(std::uint32_t id, const Input& in) {
  auto it = players_.find(id);
  if (it == players_.end()) return InputResult::unknown_player;
  Player& p = it->second;
  if (in.seq <= p.seq) return InputResult::stale;
  p.seq = in.seq;
  p.dx = std::clamp(in.dx, -1, 1);
  p.dy = std::clamp(in.dy, -1, 1);
  return InputResult::applied;
}

void World::step(double dt) {
  const double r = config_.player_radius;
  for (auto& [id, p] : players_) {
    if (!p.connected || (p.dx == 0 && p.dy == 0)) continue;
    // Diagonals are no faster than straight lines.
    const double len = std::sqrt(static_cast<double>(p.dx * p.dx + p.dy * p.dy));
    p.x = std::clamp(p.x + p.dx / len * config_.speed * dt, r, config_.width - r);
    p.y = std::clamp(p.y + p.dy / len * config_.speed * dt, r, config_.height - r);
  }
  const double reach = r + config_.coin_radius;
  for (auto& [id, p] : players_) {
    for (Coin& c : coins_) {
      const double ddx = c.x - p.x, ddy = c.y - p.y;
      if (ddx * ddx + ddy * ddy < reach * reach) {
        ++p.score;
        c = new_coin();
      }
    }
  }
  ++tick_;
}

const Player* World::player(std::uint32_t id) const {
  auto it = players_.find(id);
  return it == players_.end() ? nullptr : &it->second;
}

}  // namespace game
