// Socket.IO packet codec: the spec's examples, the protocol test suite's
// packets, and every validation rule.
#include "wire/sio_packet.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "wire/sio_json.hpp"

namespace sio::wire::socketio {
namespace {
namespace json = boost::json;

std::string text_of(const Packet& p) {
  std::string s;
  append_text(s, p);
  return s;
}

json::array arr(std::string_view s) { return json::parse(s).as_array(); }

// Feeds text then binaries; returns the packet (fails the test on error).
Packet decode_ok(std::string_view text, std::vector<std::string> binaries = {}) {
  Decoder d;
  std::optional<Packet> out;
  EXPECT_FALSE(d.feed(text, false, out)) << d.error_detail();
  for (const auto& b : binaries) {
    EXPECT_FALSE(out.has_value());
    EXPECT_FALSE(d.feed(b, true, out)) << d.error_detail();
  }
  EXPECT_TRUE(out.has_value()) << text;
  return out ? std::move(*out) : Packet{};
}

std::error_code decode_err(std::string_view text, std::vector<std::string> binaries = {}) {
  Decoder d;
  std::optional<Packet> out;
  if (auto ec = d.feed(text, false, out)) return ec;
  for (const auto& b : binaries)
    if (auto ec = d.feed(b, true, out)) return ec;
  return {};
}

// ---- encoding: the spec's examples ----

TEST(SioPacketEncode, SpecExamples) {
  EXPECT_EQ(text_of(Connect{"/", std::nullopt}), "0");
  EXPECT_EQ(text_of(Connect{"/admin", json::object{{"sid", "oSO0OpakMV_3jnilAAAA"}}}),
            R"(0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"})");
  EXPECT_EQ(text_of(ConnectError{"/", json::object{{"message", "Not authorized"}}}), R"(4{"message":"Not authorized"})");
  EXPECT_EQ(text_of(Event{"/", std::nullopt, arr(R"(["foo"])"), {}}), R"(2["foo"])");
  EXPECT_EQ(text_of(Event{"/admin", std::nullopt, arr(R"(["bar"])"), {}}), R"(2/admin,["bar"])");
  EXPECT_EQ(text_of(Event{"/", 12, arr(R"(["foo"])"), {}}), R"(212["foo"])");
  EXPECT_EQ(text_of(Ack{"/admin", 13, arr(R"(["bar"])"), {}}), R"(3/admin,13["bar"])");
  EXPECT_EQ(text_of(Disconnect{"/"}), "1");
  EXPECT_EQ(text_of(Disconnect{"/admin"}), "1/admin,");
}

TEST(SioPacketEncode, BinaryPacketsCountTheirAttachments) {
  Event e{"/", std::nullopt, arr(R"(["baz",{"_placeholder":true,"num":0}])"), {std::string("\x01\x02\x03\x04", 4)}};
  EXPECT_EQ(text_of(e), R"(51-["baz",{"_placeholder":true,"num":0}])");
  Event e2{"/admin", std::nullopt,
           arr(R"(["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])"),
           {"\x01\x02", "\x03\x04"}};
  EXPECT_EQ(text_of(e2), R"(52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  Ack a{"/", 15, arr(R"(["bar",{"_placeholder":true,"num":0}])"), {"\x01"}};
  EXPECT_EQ(text_of(a), R"(61-15["bar",{"_placeholder":true,"num":0}])");
}

TEST(SioPacketEncode, EngineMessageHasThePrefixAndAttachmentsFollow) {
  Encoded enc = encode(Event{"/", 1, arr(R"(["x",{"_placeholder":true,"num":0}])"), {std::string("\0\xff", 2)}});
  EXPECT_EQ(enc.text.view(), R"(451-1["x",{"_placeholder":true,"num":0}])");
  ASSERT_EQ(enc.attachments.size(), 1u);
  EXPECT_EQ(enc.attachments[0].view(), std::string_view("\0\xff", 2));
  EXPECT_EQ(engine_message("0").view(), "40");
}

// ---- decoding: the protocol test suite's packets ----

TEST(SioPacketDecode, ConnectForms) {
  auto c = std::get<Connect>(decode_ok("0"));
  EXPECT_EQ(c.nsp, "/");
  EXPECT_FALSE(c.data);
  c = std::get<Connect>(decode_ok(R"(0{"token":"123"})"));
  EXPECT_EQ(c.nsp, "/");
  ASSERT_TRUE(c.data);
  EXPECT_EQ(c.data->at("token"), "123");
  EXPECT_EQ(std::get<Connect>(decode_ok("0/custom,")).nsp, "/custom");
  EXPECT_EQ(std::get<Connect>(decode_ok("0/custom")).nsp, "/custom");  // no trailing comma
  c = std::get<Connect>(decode_ok(R"(0/custom,{"token":"abc"})"));
  EXPECT_EQ(c.nsp, "/custom");
  EXPECT_EQ(c.data->at("token"), "abc");
}

TEST(SioPacketDecode, DisconnectForms) {
  EXPECT_EQ(std::get<Disconnect>(decode_ok("1")).nsp, "/");
  EXPECT_EQ(std::get<Disconnect>(decode_ok("1/custom")).nsp, "/custom");
  EXPECT_EQ(std::get<Disconnect>(decode_ok("1/custom,")).nsp, "/custom");
}

TEST(SioPacketDecode, EventWithAndWithoutAck) {
  auto e = std::get<Event>(decode_ok(R"(2["message",1,"2",{"3":[true]}])"));
  EXPECT_EQ(e.nsp, "/");
  EXPECT_FALSE(e.id);
  EXPECT_EQ(e.data, arr(R"(["message",1,"2",{"3":[true]}])"));
  e = std::get<Event>(decode_ok(R"(2456["message-with-ack",1,"2",{"3":[false]}])"));
  EXPECT_EQ(e.id, 456u);
  e = std::get<Event>(decode_ok(R"(2/admin,1["tellme"])"));
  EXPECT_EQ(e.nsp, "/admin");
  EXPECT_EQ(e.id, 1u);
  e = std::get<Event>(decode_ok(R"(2[7,"numeric event names are allowed"])"));
  EXPECT_EQ(e.data[0], 7);
}

TEST(SioPacketDecode, BinaryEventReassembly) {
  Decoder d;
  std::optional<Packet> out;
  ASSERT_FALSE(d.feed(R"(52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])", false, out));
  EXPECT_FALSE(out);
  EXPECT_TRUE(d.awaiting_attachments());
  ASSERT_FALSE(d.feed("\x01\x02\x03", true, out));
  EXPECT_FALSE(out);
  ASSERT_FALSE(d.feed("\x04\x05\x06", true, out));
  ASSERT_TRUE(out);
  EXPECT_FALSE(d.awaiting_attachments());
  auto& e = std::get<Event>(*out);
  ASSERT_EQ(e.attachments.size(), 2u);
  EXPECT_EQ(e.attachments[0], "\x01\x02\x03");
  EXPECT_EQ(e.attachments[1], "\x04\x05\x06");
  // the decoder goes on with the next packet
  ASSERT_FALSE(d.feed(R"(2["next"])", false, out));
  EXPECT_TRUE(std::holds_alternative<Event>(*out));
}

TEST(SioPacketDecode, BinaryAckAndNestedPlaceholders) {
  auto a = std::get<Ack>(decode_ok(R"(61-789[{"file":{"_placeholder":true,"num":0},"name":"a"}])", {"bytes"}));
  EXPECT_EQ(a.id, 789u);
  EXPECT_EQ(placeholder_num(a.data[0].at("file")), 0u);
  EXPECT_EQ(a.attachments.at(0), "bytes");
  auto e = std::get<Event>(decode_ok(R"(52-/admin,789["m",{"_placeholder":true,"num":1},[{"_placeholder":true,"num":0}]])",
                                     {"zero", "one"}));
  EXPECT_EQ(e.nsp, "/admin");
  EXPECT_EQ(e.id, 789u);
}

TEST(SioPacketDecode, ServerPacketsForClients) {
  auto c = std::get<Connect>(decode_ok(R"(0/admin,{"sid":"abc"})"));
  EXPECT_EQ(c.data->at("sid"), "abc");
  auto ce = std::get<ConnectError>(decode_ok(R"(4/random,{"message":"Invalid namespace"})"));
  EXPECT_EQ(ce.nsp, "/random");
  EXPECT_EQ(ce.data.at("message"), "Invalid namespace");
  EXPECT_TRUE(std::holds_alternative<ConnectError>(decode_ok(R"(4"legacy string")")));
}

TEST(SioPacketDecode, RoundTripsThroughTheEncoder) {
  const Packet packets[] = {
      Connect{"/a", json::object{{"k", 1}}},
      Disconnect{"/b"},
      Event{"/", 3, arr(R"(["e",{"x":[1.5,null,"\n"]}])"), {}},
      Event{"/c", std::nullopt, arr(R"(["e",{"_placeholder":true,"num":0}])"), {"bin"}},
      Ack{"/d", 9, arr("[]"), {}},
      Ack{"/", 10, arr(R"([{"_placeholder":true,"num":0}])"), {std::string("\0", 1)}},
      ConnectError{"/e", json::object{{"message", "no"}, {"data", json::object{{"why", 1}}}}},
  };
  for (const auto& p : packets) {
    Encoded enc = encode(p);
    std::vector<std::string> bins;
    for (auto& b : enc.attachments) bins.emplace_back(b.view());
    Packet back = decode_ok(enc.text.view().substr(1), bins);
    EXPECT_EQ(text_of(back), text_of(p));
    EXPECT_EQ(back.index(), p.index());
  }
}

// ---- validation: every violation is an error ----

TEST(SioPacketDecode, RejectsUnknownTypes) {
  EXPECT_EQ(decode_err(""), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("abc"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("7"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("9[\"x\"]"), errc::sio_bad_packet);
}

TEST(SioPacketDecode, RejectsBadPayloads) {
  EXPECT_EQ(decode_err("2{}"), errc::sio_bad_packet);  // the test suite's "42{}"
  EXPECT_EQ(decode_err("2"), errc::sio_bad_packet);     // EVENT needs a payload
  EXPECT_EQ(decode_err("2[]"), errc::sio_bad_packet);   // ... with a name
  EXPECT_EQ(decode_err("2[null]"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("2[1e400]"), errc::sio_bad_packet);  // an infinite name cannot be written back
  EXPECT_EQ(decode_err(R"(2["disconnect"])"), errc::sio_bad_packet);  // reserved
  EXPECT_EQ(decode_err(R"(2["connect"])"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(2["a"] x)"), errc::sio_bad_packet);  // trailing bytes
  EXPECT_EQ(decode_err(R"(2["a")"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("0[]"), errc::sio_bad_packet);  // CONNECT: object only
  EXPECT_EQ(decode_err("0\"x\""), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("1{}"), errc::sio_bad_packet);  // DISCONNECT: nothing
  EXPECT_EQ(decode_err("31{}"), errc::sio_bad_packet);  // ACK: array
  EXPECT_EQ(decode_err("3[]"), errc::sio_bad_packet);   // ACK: needs an id
  EXPECT_EQ(decode_err("4"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("4[1]"), errc::sio_bad_packet);
}

TEST(SioPacketDecode, RejectsBadAckIds) {
  EXPECT_EQ(decode_err(R"(2abc["message-with-ack",1,"2",{"3":[false]}])"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(29007199254740992["x"])"), errc::sio_bad_packet);  // 2^53
  EXPECT_FALSE(decode_err(R"(29007199254740991["x"])"));                     // 2^53 - 1
  EXPECT_EQ(decode_err(R"(299999999999999999999999["x"])"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("01"), errc::sio_bad_packet);  // no ids on CONNECT
  EXPECT_EQ(decode_err("1/a,2"), errc::sio_bad_packet);
}

TEST(SioPacketDecode, RejectsBadNamespaces) {
  EXPECT_EQ(decode_err(std::string("0/a\x01,", 5)), errc::sio_bad_packet);
  EXPECT_EQ(decode_err("0/a\n"), errc::sio_bad_packet);
}

TEST(SioPacketDecode, RejectsBadAttachmentCounts) {
  EXPECT_EQ(decode_err(R"(5["a"])"), errc::sio_bad_packet);    // no count
  EXPECT_EQ(decode_err(R"(50-["a"])"), errc::sio_bad_packet);  // zero
  EXPECT_EQ(decode_err(R"(51["a"])"), errc::sio_bad_packet);   // no '-'
  EXPECT_EQ(decode_err("51"), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(511-["a"])"), errc::sio_too_many_attachments);
  EXPECT_EQ(decode_err(R"(59999999999-["a"])"), errc::sio_too_many_attachments);
  EXPECT_FALSE(decode_err(R"(510-["a"])"));  // ten is the default limit
  Decoder strict(2);
  std::optional<Packet> out;
  EXPECT_EQ(strict.feed(R"(53-["a"])", false, out), errc::sio_too_many_attachments);
}

TEST(SioPacketDecode, RejectsIllegalPlaceholders) {
  EXPECT_EQ(decode_err(R"(51-["a",{"_placeholder":true,"num":1}])", {"x"}), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(51-["a",{"_placeholder":true,"num":-1}])", {"x"}), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(51-["a",{"_placeholder":true}])", {"x"}), errc::sio_bad_packet);
  EXPECT_EQ(decode_err(R"(51-["a",[{"_placeholder":true,"num":"0"}]])", {"x"}), errc::sio_bad_packet);
  // `_placeholder` that is not `true` is plain data
  EXPECT_FALSE(decode_err(R"(51-["a",{"_placeholder":1,"num":9}])", {"x"}));
}

TEST(SioPacketDecode, RejectsOutOfOrderMessages) {
  Decoder d;
  std::optional<Packet> out;
  EXPECT_EQ(d.feed("\x01", true, out), errc::sio_bad_packet);  // binary with nothing pending
  EXPECT_EQ(d.error_detail(), "unexpected binary message");
  ASSERT_FALSE(d.feed(R"(51-["a",{"_placeholder":true,"num":0}])", false, out));
  EXPECT_EQ(d.feed(R"(2["b"])", false, out), errc::sio_bad_packet);  // text while awaiting
  EXPECT_FALSE(d.awaiting_attachments());                          // reset after the error
  EXPECT_FALSE(d.feed(R"(2["b"])", false, out));
  EXPECT_TRUE(out);
}

TEST(SioPacketDecode, DepthIsBounded) {
  std::string deep = "2[\"a\",";
  for (std::size_t i = 0; i < kMaxJsonDepth + 10; ++i) deep += '[';
  for (std::size_t i = 0; i < kMaxJsonDepth + 10; ++i) deep += ']';
  deep += ']';
  EXPECT_EQ(decode_err(deep), errc::sio_bad_packet);
}

// ---- JSON as JavaScript writes it ----

std::string js(const json::value& v) {
  std::string s;
  append_json(s, v);
  return s;
}

TEST(SioJson, NumbersAsJavaScriptPrintsThem) {
  EXPECT_EQ(js(1), "1");
  EXPECT_EQ(js(-42), "-42");
  EXPECT_EQ(js(json::value(18446744073709551615ULL)), "18446744073709551615");
  EXPECT_EQ(js(1.0), "1");
  EXPECT_EQ(js(1.5), "1.5");
  EXPECT_EQ(js(-0.0), "0");
  EXPECT_EQ(js(0.1), "0.1");
  EXPECT_EQ(js(123.456), "123.456");
  EXPECT_EQ(js(1e20), "100000000000000000000");
  EXPECT_EQ(js(1e21), "1e+21");
  EXPECT_EQ(js(1.5e300), "1.5e+300");
  EXPECT_EQ(js(0.000001), "0.000001");
  EXPECT_EQ(js(1e-7), "1e-7");
  EXPECT_EQ(js(-2.5e-10), "-2.5e-10");
  EXPECT_EQ(js(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(js(std::numeric_limits<double>::quiet_NaN()), "null");
}

TEST(SioJson, StringsAsJavaScriptEscapesThem) {
  EXPECT_EQ(js("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(js("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(js(json::string_view("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(js("/ é \x7f"), "\"/ é \x7f\"");
}

TEST(SioJson, ParsedPayloadsComeBackByteIdentical) {
  for (std::string_view s : {R"(["message-back",1,"2",{"3":[true]}])", R"([{"a":[],"b":{},"c":null,"d":-1.25}])",
                             R"(["x",0.5,1e-7,12345678901234567,"\u0000"])"}) {
    EXPECT_EQ(js(json::parse(s)), s);
  }
}

TEST(SioJson, PlaceholdersAreRemappedWhileWriting) {
  auto v = json::parse(
      R"([{"_placeholder":true,"num":2},{"k":{"_placeholder":true,"num":0}},{"_placeholder":false,"num":0},{"_placeholder":true,"num":7}])");
  PlaceholderRemap remap = [](std::uint64_t n) -> std::optional<std::uint64_t> {
    if (n == 2) return 12;
    if (n == 0) return 10;
    return std::nullopt;
  };
  std::string out;
  append_json(out, v, &remap);
  EXPECT_EQ(out,
            R"([{"_placeholder":true,"num":12},{"k":{"_placeholder":true,"num":10}},{"_placeholder":false,"num":0},{"_placeholder":true,"num":7}])");
  EXPECT_TRUE(has_placeholders(v));
  EXPECT_FALSE(has_placeholders(json::parse(R"([{"_placeholder":false}])")));
  EXPECT_EQ(js(make_placeholder(3)), R"({"_placeholder":true,"num":3})");
}

TEST(SioJson, ParsesNumbersCorrectlyRounded) {
  std::error_code ec;
  // Boost 1.81's own parser reads this one unit in the last place too low.
  auto v = parse_json("[1.25e300,0.1,1e-7,-0.0,123,18446744073709551615,1e400]", ec);
  ASSERT_FALSE(ec);
  const auto& a = v.as_array();
  EXPECT_EQ(a[0].as_double(), 1.25e300);
  EXPECT_EQ(a[1].as_double(), 0.1);
  EXPECT_EQ(a[2].as_double(), 1e-7);
  EXPECT_TRUE(a[3].is_double());
  EXPECT_EQ(a[4].as_int64(), 123);
  EXPECT_EQ(a[5].as_uint64(), 18446744073709551615ULL);
  EXPECT_EQ(js(v), "[1.25e+300,0.1,1e-7,0,123,18446744073709551615,null]");
  parse_json("[1] 2", ec);
  EXPECT_TRUE(ec);
  parse_json("{\"a\":", ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(parse_json(" {\"k\" : [true, null]} ", ec), json::parse(R"({"k":[true,null]})"));
  EXPECT_FALSE(ec);
}

}  // namespace
}  // namespace sio::wire::socketio
