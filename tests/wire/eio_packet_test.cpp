#include <gtest/gtest.h>

#include <vector>

#include "wire/eio_packet.hpp"

namespace sio::wire::eio {
namespace {

struct Seen {
  PacketType type;
  bool binary;
  std::string data;
};

std::vector<Seen> decode_all(std::string_view body, std::error_code* ec_out = nullptr) {
  std::vector<Seen> out;
  std::string scratch;
  auto ec = decode_payload(body, scratch, [&](const Packet& p) { out.push_back({p.type, p.binary, std::string(p.data)}); });
  if (ec_out) *ec_out = ec;
  return out;
}

TEST(EioPacket, DecodesEveryTextType) {
  const char* inputs[] = {"0{}", "1", "2", "3", "4hello", "5", "6"};
  for (int i = 0; i <= 6; ++i) {
    Packet p;
    ASSERT_TRUE(decode_text(inputs[i], p)) << inputs[i];
    EXPECT_EQ(static_cast<int>(p.type), i);
    EXPECT_FALSE(p.binary);
  }
  Packet p;
  ASSERT_TRUE(decode_text("2probe", p));
  EXPECT_EQ(p.data, "probe");
}

TEST(EioPacket, RejectsUnknownTypesAndEmpty) {
  Packet p;
  EXPECT_FALSE(decode_text("", p));
  EXPECT_FALSE(decode_text("7", p));
  EXPECT_FALSE(decode_text("a", p));
  EXPECT_FALSE(decode_text("/", p));
}

TEST(EioPayload, SplitsOnRecordSeparator) {
  auto v = decode_all("4hello\x1e" "2\x1e" "4");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].data, "hello");
  EXPECT_EQ(v[1].type, PacketType::ping);
  EXPECT_EQ(v[2].type, PacketType::message);
  EXPECT_EQ(v[2].data, "");
}

TEST(EioPayload, DecodesBase64Binary) {
  auto v = decode_all("bAQIDBA==\x1e" "4x");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_TRUE(v[0].binary);
  EXPECT_EQ(v[0].data, std::string("\x01\x02\x03\x04", 4));
  EXPECT_FALSE(v[1].binary);
}

TEST(EioPayload, StopsAtTheFirstBadPacket) {
  std::error_code ec;
  auto v = decode_all("4ok\x1e" "9bad\x1e" "4never", &ec);
  EXPECT_EQ(ec, errc::eio_bad_payload);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].data, "ok");
  decode_all("", &ec);
  EXPECT_EQ(ec, errc::eio_bad_payload);
  decode_all("4a\x1e", &ec);  // an empty trailing packet
  EXPECT_EQ(ec, errc::eio_bad_payload);
  decode_all("b!!!!", &ec);  // not base64
  EXPECT_EQ(ec, errc::eio_bad_payload);
}

TEST(EioPayload, EncodeRoundTrips) {
  std::string body;
  append_polling(body, "4hello", false);
  append_polling(body, std::string_view("\xff\x00\x01", 3), true);
  append_polling(body, "6", false);
  EXPECT_EQ(body, "4hello\x1e" "b/wAB\x1e" "6");
  auto v = decode_all(body);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1].data, std::string("\xff\x00\x01", 3));
  EXPECT_EQ(v[2].type, PacketType::noop);
}

TEST(EioPacket, AppendText) {
  std::string s;
  append_text(s, PacketType::message, "x");
  append_text(s, PacketType::pong, "probe");
  EXPECT_EQ(s, "4x3probe");
}

}  // namespace
}  // namespace sio::wire::eio
