// The Socket.IO decoder against the test vectors of socket.io-parser's two
// security fixes, at codec level (the interop replays in
// tests/interop/security/ check what the servers then do):
// CVE-2022-2421 (commit b5d0cb7: a placeholder's num must index an attachment;
// binary and text messages must come in the order the packet announces) and
// CVE-2023-32695 (commits 3b78117, d9db473: an EVENT's name is a non-reserved
// string or a number).
#include <gtest/gtest.h>

#include "wire/sio_json.hpp"
#include "wire/sio_packet.hpp"

namespace sio::wire::socketio {
namespace {

struct Outcome {
  std::error_code ec;
  std::string detail;
  std::optional<Packet> packet;
};

// Feeds the messages in order (text unless marked binary) and stops at the
// first error.
Outcome feed(std::initializer_list<std::pair<std::string_view, bool>> messages) {
  Decoder d;
  Outcome o;
  for (const auto& [data, binary] : messages) {
    o.ec = d.feed(data, binary, o.packet);
    if (o.ec) {
      o.detail = d.error_detail();
      return o;
    }
  }
  return o;
}

constexpr bool kText = false;
constexpr bool kBinary = true;

TEST(SioPacketCve_2022_2421, PlaceholderNumThatIsNotAnIndexIsIllegal) {
  // the commit's example: decoded as ["hello", Array.prototype.splice] before the fix
  auto o = feed({{R"(51-["hello",{"_placeholder":true,"num":"splice"}])", kText}, {"world", kBinary}});
  EXPECT_EQ(o.ec, errc::sio_bad_packet);
  EXPECT_EQ(o.detail, "illegal attachments");
  EXPECT_FALSE(o.packet);
  for (std::string_view num : {R"("__proto__")", R"("length")", R"("0")", "-1", "0.5", "null", "true", "[0]", "{}"}) {
    const std::string text = std::string(R"(51-["hello",{"_placeholder":true,"num":)") + std::string(num) + "}]";
    auto bad = feed({{text, kText}, {"world", kBinary}});
    EXPECT_EQ(bad.ec, errc::sio_bad_packet) << text;
    EXPECT_FALSE(bad.packet) << text;
  }
}

TEST(SioPacketCve_2022_2421, PlaceholderNumOutOfBoundsIsIllegal) {
  auto o = feed({{R"(51-["hello",{"_placeholder":true,"num":1}])", kText}, {"world", kBinary}});
  EXPECT_EQ(o.ec, errc::sio_bad_packet);
  EXPECT_EQ(o.detail, "illegal attachments");
  // more placeholders than announced attachments
  auto two = feed({{R"(51-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])", kText}, {"x", kBinary}});
  EXPECT_EQ(two.ec, errc::sio_bad_packet);
}

TEST(SioPacketCve_2022_2421, BinaryMessageWithoutAHeaderIsRefused) {
  auto o = feed({{"world", kBinary}});
  EXPECT_EQ(o.ec, errc::sio_bad_packet);
  EXPECT_EQ(o.detail, "unexpected binary message");
}

TEST(SioPacketCve_2022_2421, TextMessageWhileAttachmentsAreAwaitedIsRefused) {
  auto o = feed({{R"(51-["hello",{"_placeholder":true,"num":0}])", kText}, {R"(2["hello"])", kText}});
  EXPECT_EQ(o.ec, errc::sio_bad_packet);
  EXPECT_EQ(o.detail, "text message while awaiting attachments");
}

TEST(SioPacketCve_2022_2421, ValidAttachmentIsResolved) {
  auto o = feed({{R"(51-["hello",{"_placeholder":true,"num":0}])", kText}, {"world", kBinary}});
  ASSERT_FALSE(o.ec) << o.detail;
  ASSERT_TRUE(o.packet);
  const auto& e = std::get<Event>(*o.packet);
  ASSERT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.attachments[0], "world");
  EXPECT_EQ(placeholder_num(e.data[1]), 0u);
}

TEST(SioPacketCve_2022_2421, PlaceholderInAPacketWithoutAttachmentsStaysData) {
  // socket.io-parser only resolves placeholders of binary packets
  auto o = feed({{R"(2["hello",{"_placeholder":true,"num":"splice"}])", kText}});
  ASSERT_FALSE(o.ec) << o.detail;
  const auto& e = std::get<Event>(*o.packet);
  EXPECT_TRUE(e.attachments.empty());
  ASSERT_TRUE(e.data[1].is_object());
  EXPECT_EQ(e.data[1].as_object().at("num").as_string(), "splice");
}

TEST(SioPacketCve_2023_32695, EventNameMustBeAStringOrANumber) {
  for (std::string_view text : {R"(2[{"toString":"foo"}])", R"(2[true,"foo"])", R"(2[null,"bar"])", R"(2[["x"]])",
                                R"(51-[{"toString":"foo"},{"_placeholder":true,"num":0}])"}) {
    auto o = feed({{text, kText}});
    EXPECT_EQ(o.ec, errc::sio_bad_packet) << text;
    EXPECT_FALSE(o.packet) << text;
  }
  EXPECT_FALSE(feed({{R"(2[42,"x"])", kText}}).ec);  // numbers are names too (socket.io-parser 4.0.4)
}

TEST(SioPacketCve_2023_32695, ReservedEventNamesAreRefused) {
  for (std::string_view name : {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"}) {
    const std::string text = "2[\"" + std::string(name) + "\",\"123\"]";
    EXPECT_EQ(feed({{text, kText}}).ec, errc::sio_bad_packet) << text;
  }
  // "error" is an ordinary name (socket.io CVE-2024-38355 is the server's business)
  EXPECT_FALSE(feed({{R"(2["error"])", kText}}).ec);
}

TEST(SioPacketCve_2023_32695, PayloadsOfTheWrongShapeAreRefused) {
  // the rest of socket.io-parser's isInvalidPayload list
  for (std::string_view text : {R"(442["some","data")", R"(0/admin,"invalid")", "0[]", "1/admin,{}", R"(2/admin,"invalid)",
                                "2/admin,{}", "999"}) {
    EXPECT_EQ(feed({{text, kText}}).ec, errc::sio_bad_packet) << text;
  }
}

}  // namespace
}  // namespace sio::wire::socketio
