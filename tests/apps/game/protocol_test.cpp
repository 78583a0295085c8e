// sio-game's wire rules (apps/sio-game/protocol.hpp): what an input, a name
// and a room name may be, and the snapshot's shape.
#include "protocol.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace game {
namespace {

std::string refusal_code(const std::variant<Input, Refusal>& r) {
  const Refusal* f = std::get_if<Refusal>(&r);
  return f ? std::string(f->code) : "";
}

TEST(GameProtocol, WellFormedInputsParse) {
  auto r = parse_input(boost::json::parse(R"({"seq": 7, "dx": -1, "dy": 1})"));
  ASSERT_TRUE(std::holds_alternative<Input>(r));
  const Input in = std::get<Input>(r);
  EXPECT_EQ(in.seq, 7u);
  EXPECT_EQ(in.dx, -1);
  EXPECT_EQ(in.dy, 1);
  EXPECT_TRUE(std::holds_alternative<Input>(parse_input(boost::json::parse(R"({"seq": 4294967295, "dx": 0, "dy": 0})"))));
}

TEST(GameProtocol, MalformedInputsAreBadInput) {
  for (const char* text : {
           R"(null)", R"(42)", R"("up")", R"([1, 0, 0])", R"({})",
           R"({"dx": 1, "dy": 0})",                      // no seq
           R"({"seq": 0, "dx": 1, "dy": 0})",            // seq starts at 1
           R"({"seq": -3, "dx": 1, "dy": 0})",
           R"({"seq": 4294967296, "dx": 1, "dy": 0})",   // beyond 32 bits
           R"({"seq": 18446744073709551615, "dx": 1, "dy": 0})",
           R"({"seq": 1.5, "dx": 1, "dy": 0})",
           R"({"seq": "1", "dx": 1, "dy": 0})",
           R"({"seq": 1, "dx": 2, "dy": 0})",            // faster than allowed
           R"({"seq": 1, "dx": 1, "dy": -2})",
           R"({"seq": 1, "dx": 0.5, "dy": 0})",
           R"({"seq": 1, "dx": true, "dy": 0})",
           R"({"seq": 1, "dx": 1})",                     // no dy
       }) {
    EXPECT_EQ(refusal_code(parse_input(boost::json::parse(text))), "bad-input") << text;
  }
}

TEST(GameProtocol, NamesAndRooms) {
  auto name = parse_name(boost::json::value("  Ann B.  "));
  ASSERT_TRUE(std::holds_alternative<std::string>(name));
  EXPECT_EQ(std::get<std::string>(name), "Ann B.");
  EXPECT_EQ(std::get<Refusal>(parse_name(boost::json::value("   "))).code, "name-empty");
  EXPECT_EQ(std::get<Refusal>(parse_name(boost::json::value(3))).code, "name-empty");
  EXPECT_EQ(std::get<Refusal>(parse_name(boost::json::value("x234567890123456y"))).code, "name-invalid");
  EXPECT_EQ(std::get<Refusal>(parse_name(boost::json::value("<b>"))).code, "name-invalid");

  EXPECT_EQ(std::get<std::string>(parse_room(boost::json::value("arena-2_b"))), "arena-2_b");
  EXPECT_EQ(std::get<Refusal>(parse_room(boost::json::value(""))).code, "room-empty");
  EXPECT_EQ(std::get<Refusal>(parse_room(boost::json::value(nullptr))).code, "room-empty");
  EXPECT_EQ(std::get<Refusal>(parse_room(boost::json::value("a b"))).code, "room-invalid");
  EXPECT_EQ(std::get<Refusal>(parse_room(boost::json::value(std::string(25, 'r')))).code, "room-invalid");
}

TEST(GameProtocol, RefusalsCarryCodeAndMessage) {
  boost::json::object o = refusal_json({"bad-input", "An input is..."});
  EXPECT_EQ(o.at("ok"), false);
  EXPECT_EQ(o.at("error"), "bad-input");
  EXPECT_EQ(o.at("message"), "An input is...");
}

TEST(GameProtocol, SnapshotHasEveryPlayerAndCoin) {
  WorldConfig c;
  c.coins = 3;
  World w(c);
  const std::uint32_t a = *w.add_player("ann");
  w.add_player("bob");
  w.apply_input(a, {3, 1, 0});
  w.step(1.0 / 30);
  w.set_connected(a, false);
  boost::json::object s = snapshot_json("arena", w);
  EXPECT_EQ(s.at("room"), "arena");
  EXPECT_EQ(s.at("tick"), 1u);
  const auto& players = s.at("players").as_array();
  ASSERT_EQ(players.size(), 2u);
  const auto& ann = players[0].as_object();
  EXPECT_EQ(ann.at("id"), a);
  EXPECT_EQ(ann.at("name"), "ann");
  EXPECT_EQ(ann.at("seq"), 3u);
  EXPECT_EQ(ann.at("on"), false);
  EXPECT_NEAR(ann.at("x").to_number<double>(), w.player(a)->x, 0.05);
  EXPECT_EQ(s.at("coins").as_array().size(), 3u);
  EXPECT_EQ(s.at("coins").as_array()[0].as_array().size(), 3u);
}

}  // namespace
}  // namespace game
