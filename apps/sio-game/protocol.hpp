// What travels between the page and the server (PROTOCOL.md), as pure
// functions: checking what a page sends, and writing answers and snapshots.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "world.hpp"

namespace game {

// Limits of PROTOCOL.md.
inline constexpr std::size_t kMaxNameLength = 16;  // player names, bytes of [A-Za-z0-9 _.-]
inline constexpr std::size_t kMaxRoomLength = 24;  // room names, bytes of [A-Za-z0-9_-]

// A refusal: a stable code for programs and a sentence for people.
struct Refusal {
  std::string_view code;
  std::string_view message;
};

// {ok: false, error: code, message}
boost::json::object refusal_json(const Refusal& r);

// The input event's payload {seq, dx, dy}: seq an integer 1..2^32-1, dx and dy
// each -1, 0 or 1. Anything else is "bad-input".
std::variant<Input, Refusal> parse_input(const boost::json::value& v);

// A player name (trimmed of spaces) or a refusal.
std::variant<std::string, Refusal> parse_name(const boost::json::value& v);
// A room name, or a refusal.
std::variant<std::string, Refusal> parse_room(const boost::json::value& v);

// A room's state for the pages, encoded once per tick per room:
//   {room, tick, players: [{id, name, x, y, score, seq, on}], coins: [[id, x, y]]}
// Positions are rounded to 0.1 unit: the page draws them, it does not simulate.
boost::json::object snapshot_json(std::string_view room, const World& world);

}  // namespace game
