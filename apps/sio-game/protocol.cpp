#include "protocol.hpp"

#include <cmath>

#include <boost/json/array.hpp>

namespace game {
namespace {

constexpr Refusal kBadInput{"bad-input", "An input is {seq, dx, dy}: seq a whole number from 1, dx and dy each -1, 0 or 1."};
constexpr Refusal kNameEmpty{"name-empty", "Please choose a name."};
constexpr Refusal kNameInvalid{"name-invalid", "A name is 1 to 16 letters, digits, spaces, dots, dashes or underscores."};
constexpr Refusal kRoomEmpty{"room-empty", "Please name the room."};
constexpr Refusal kRoomInvalid{"room-invalid", "A room name is 1 to 24 letters, digits, dashes or underscores."};

// -1, 0 or 1 as a JSON integer (1.0 from JavaScript is an integer on the wire: "1").
bool unit_direction(const boost::json::value* v, int& out) {
  if (!v || !v->is_int64()) return false;
  std::int64_t n = v->get_int64();
  if (n < -1 || n > 1) return false;
  out = static_cast<int>(n);
  return true;
}

bool name_char(char c, bool space_ok) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         (space_ok && (c == ' ' || c == '.'));
}

double round1(double v) { return std::round(v * 10) / 10; }

}  // namespace

boost::json::object refusal_json(const Refusal& r) {
  return {{"ok", false}, {"error", r.code}, {"message", r.message}};
}

std::variant<Input, Refusal> parse_input(const boost::json::value& v) {
  const boost::json::object* o = v.if_object();
  if (!o) return kBadInput;
  Input in;
  const boost::json::value* seq = o->if_contains("seq");
  if (!seq || !seq->is_int64()) return kBadInput;  // numbers beyond 2^63 are uint64: out of range too
  const std::int64_t s = seq->get_int64();
  if (s < 1 || s > 0xffffffffll) return kBadInput;
  in.seq = static_cast<std::uint32_t>(s);
  if (!unit_direction(o->if_contains("dx"), in.dx) || !unit_direction(o->if_contains("dy"), in.dy)) return kBadInput;
  return in;
}

std::variant<std::string, Refusal> parse_name(const boost::json::value& v) {
  if (!v.is_string()) return kNameEmpty;
  std::string_view s = v.get_string();
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return kNameEmpty;
  if (s.size() > kMaxNameLength) return kNameInvalid;
  for (char c : s) {
    if (!name_char(c, true)) return kNameInvalid;
  }
  return std::string(s);
}

std::variant<std::string, Refusal> parse_room(const boost::json::value& v) {
  if (!v.is_string() || v.get_string().empty()) return kRoomEmpty;
  std::string_view s = v.get_string();
  if (s.size() > kMaxRoomLength) return kRoomInvalid;
  for (char c : s) {
    if (!name_char(c, false)) return kRoomInvalid;
  }
  return std::string(s);
}

boost::json::object snapshot_json(std::string_view room, const World& world) {
  boost::json::array players;
  players.reserve(world.players().size());
  for (const auto& [id, p] : world.players()) {
    players.push_back(boost::json::object{{"id", id},
                                          {"name", p.name},
                                          {"x", round1(p.x)},
                                          {"y", round1(p.y)},
                                          {"score", p.score},
                                          {"seq", p.seq},
                                          {"on", p.connected}});
  }
  boost::json::array coins;
  coins.reserve(world.coins().size());
  for (const Coin& c : world.coins()) coins.push_back(boost::json::array{c.id, round1(c.x), round1(c.y)});
  return {{"room", room}, {"tick", world.tick()}, {"players", std::move(players)}, {"coins", std::move(coins)}};
}

}  // namespace game
