// Engine.IO protocol 3 payloads (engine.io-parser 2.x): lengths in UTF-16 code
// units, "b4" base64 binary, binary payloads, and binary WebSocket frames.
#include <gtest/gtest.h>

#include <vector>

#include "wire/eio3_payload.hpp"

namespace sio::wire::eio3 {
namespace {

struct Seen {
  PacketType type;
  bool binary;
  std::string data;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> decode_text(std::string_view body, std::error_code* ec_out = nullptr) {
  std::vector<Seen> out;
  std::string scratch;
  auto ec = decode_text_payload(body, scratch, [&](const Packet& p) { out.push_back({p.type, p.binary, std::string(p.data)}); });
  if (ec_out) *ec_out = ec;
  return out;
}

std::vector<Seen> decode_binary(std::string_view body, std::error_code* ec_out = nullptr) {
  std::vector<Seen> out;
  std::string scratch;
  auto ec = decode_binary_payload(body, scratch, [&](const Packet& p) { out.push_back({p.type, p.binary, std::string(p.data)}); });
  if (ec_out) *ec_out = ec;
  return out;
}

constexpr const char* kEmoji = "\xF0\x9F\x98\x80";  // U+1F600: a surrogate pair in UTF-16
constexpr const char* kEacute = "\xC3\xA9";         // U+00E9: one unit
constexpr const char* kEuro = "\xE2\x82\xAC";       // U+20AC: one unit

TEST(Eio3Payload, Utf16LengthCountsAsJavaScriptDoes) {
  EXPECT_EQ(utf16_length(""), 0u);
  EXPECT_EQ(utf16_length("4hello"), 6u);
  EXPECT_EQ(utf16_length(std::string("4") + kEacute), 2u);
  EXPECT_EQ(utf16_length(std::string("4") + kEuro), 2u);
  EXPECT_EQ(utf16_length(std::string("4") + kEmoji), 3u);  // "4😀".length === 3
  EXPECT_EQ(utf16_length("\xED\xA0\x80"), 1u);              // a lone surrogate (WTF-8)
  EXPECT_EQ(utf16_length("\xFF" "a"), 2u);                  // U+FFFD, then "a"
}

TEST(Eio3Payload, EncodesTextPacketsWithUtf16Lengths) {
  std::string out;
  append_text_item(out, "4hello", false);
  append_text_item(out, std::string("4") + kEmoji, false);
  append_text_item(out, "2", false);
  EXPECT_EQ(out, std::string("6:4hello3:4") + kEmoji + "1:2");
}

TEST(Eio3Payload, EncodesBinaryAsBase64Text) {
  std::string out;
  append_text_item(out, std::string("\x01\x02\x03\x04", 4), true);
  EXPECT_EQ(out, "10:b4AQIDBA==");
}

TEST(Eio3Payload, DecodesTextPayloads) {
  EXPECT_EQ(decode_text("6:4hello"), (std::vector<Seen>{{PacketType::message, false, "hello"}}));
  EXPECT_EQ(decode_text("1:26:4hello1:3"),
            (std::vector<Seen>{{PacketType::ping, false, ""}, {PacketType::message, false, "hello"}, {PacketType::pong, false, ""}}));
  EXPECT_EQ(decode_text("6:2probe"), (std::vector<Seen>{{PacketType::ping, false, "probe"}}));
}

TEST(Eio3Payload, DecodesNonBmpTextByUtf16Length) {
  const std::string body = std::string("5:4a") + kEmoji + kEuro + "1:2";  // "4a😀€" is 5 units
  EXPECT_EQ(decode_text(body), (std::vector<Seen>{{PacketType::message, false, std::string("a") + kEmoji + kEuro},
                                                  {PacketType::ping, false, ""}}));
}

TEST(Eio3Payload, RefusesALengthThatSplitsASurrogatePair) {
  std::error_code ec;
  decode_text(std::string("2:4") + kEmoji, &ec);  // "4" + half of the pair
  EXPECT_EQ(ec, make_error_code(errc::eio_bad_payload));
}

TEST(Eio3Payload, DecodesBase64Binary) {
  EXPECT_EQ(decode_text("10:b4AQIDBA==6:4hello"),
            (std::vector<Seen>{{PacketType::message, true, std::string("\x01\x02\x03\x04", 4)},
                               {PacketType::message, false, "hello"}}));
}

TEST(Eio3Payload, RefusesMalformedTextPayloads) {
  for (const char* bad : {"", "4hello", "6:4hell", ":4", "a:4", "7:4hello", "6:4hello5", "1:9", "3:b4!",
                          "3:b2A", "1234567890:4"}) {
    std::error_code ec;
    decode_text(bad, &ec);
    EXPECT_EQ(ec, make_error_code(errc::eio_bad_payload)) << bad;
  }
}

TEST(Eio3Payload, StopsAtTheFirstBadPacketAfterDeliveringThoseBefore) {
  std::error_code ec;
  auto seen = decode_text("6:4hello1:x", &ec);
  EXPECT_EQ(ec, make_error_code(errc::eio_bad_payload));
  EXPECT_EQ(seen, (std::vector<Seen>{{PacketType::message, false, "hello"}}));
}

TEST(Eio3Payload, BinaryPayloadRoundTrip) {
  std::string out;
  append_binary_item(out, "4hello", false);
  append_binary_item(out, std::string("\x01\x02\x03", 3), true);
  append_binary_item(out, std::string("4") + kEmoji, false);
  // text: 0x00, "6" as the byte 6, 0xFF, the bytes; binary: 0x01, "4", 0xFF, 0x04, the bytes;
  // text lengths count UTF-8 bytes here (engine.io-parser 2 utf8-encodes first).
  const std::string expected = std::string("\x00\x06\xFF" "4hello", 9) + std::string("\x01\x04\xFF\x04\x01\x02\x03", 7) +
                               std::string("\x00\x05\xFF", 3) + "4" + kEmoji;
  EXPECT_EQ(out, expected);
  EXPECT_EQ(decode_binary(out), (std::vector<Seen>{{PacketType::message, false, "hello"},
                                                   {PacketType::message, true, std::string("\x01\x02\x03", 3)},
                                                   {PacketType::message, false, kEmoji}}));
}

TEST(Eio3Payload, BinaryPayloadLengthsOfSeveralDigits) {
  std::string out;
  const std::string big(1234, 'x');
  append_binary_item(out, big, true);
  EXPECT_EQ(out.substr(0, 6), std::string("\x01\x01\x02\x03\x05\xFF", 6));  // 1235 = 1234 + the type byte
  auto seen = decode_binary(out);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, big);
}

TEST(Eio3Payload, RefusesMalformedBinaryPayloads) {
  for (const std::string& bad : {std::string(), std::string("\x02\x01\xFF" "4", 4), std::string("\x00\x09\xFF" "4", 4),
                                 std::string("\x00\x01", 2), std::string("\x00\x0A\xFF" "4", 4),
                                 std::string("\x01\x01\xFF\x02", 4), std::string("\x00\xFF", 2)}) {
    std::error_code ec;
    decode_binary(bad, &ec);
    EXPECT_EQ(ec, make_error_code(errc::eio_bad_payload));
  }
}

TEST(Eio3Payload, WebSocketBinaryFramesCarryTheTypeFirst) {
  Packet p;
  const std::string frame("\x04\x01\x02", 3);  // the packet views it
  ASSERT_TRUE(decode_binary_frame(frame, p));
  EXPECT_EQ(p.type, PacketType::message);
  EXPECT_TRUE(p.binary);
  EXPECT_EQ(p.data, std::string("\x01\x02", 2));
  EXPECT_FALSE(decode_binary_frame("", p));
  EXPECT_FALSE(decode_binary_frame(std::string("\x02\x01", 2), p));
}

}  // namespace
}  // namespace sio::wire::eio3
