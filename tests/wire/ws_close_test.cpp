// Close frames: which codes may be on the wire, the payload layout, and what
// the parser does with each kind of close frame.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ws_test_support.hpp"

namespace sio::wire::ws {
namespace {

using test::feed_fresh;
using test::from_client;
using Events = std::vector<std::string>;

std::string code_bytes(std::uint16_t code) {
  return {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
}

TEST(WsClose, ValidCodes) {
  // Autobahn case 7.7.x, plus 1012-1014 (IANA registered).
  for (std::uint16_t c : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
                          4000, 4999})
    EXPECT_TRUE(valid_close_code(c)) << c;
}

TEST(WsClose, InvalidCodes) {
  // Autobahn case 7.9.x, 1015 (TLS failure, local only), and 7.13.x.
  for (std::uint16_t c : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    EXPECT_FALSE(valid_close_code(c)) << c;
}

TEST(WsClose, PayloadLayout) {
  EXPECT_EQ(close_payload(1000), code_bytes(1000));
  EXPECT_EQ(close_payload(4321, "why"), code_bytes(4321) + "why");
  EXPECT_EQ(close_payload(close_code::no_status, "ignored"), "");
}

TEST(WsClose, EmptyCloseReports1005) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, ""));
  EXPECT_EQ(out.events, Events{"close:1005:"});
  EXPECT_TRUE(out.closed);
  EXPECT_FALSE(out.error);
}

TEST(WsClose, CodeAndReason) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, close_payload(1001, "going \xE2\x82\xAC")));
  EXPECT_EQ(out.events, Events{"close:1001:going \xE2\x82\xAC"});
  EXPECT_TRUE(out.closed);
}

TEST(WsClose, LongestReason) {
  const std::string reason(123, 'r');
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, close_payload(1000, reason)), 1);
  EXPECT_EQ(out.events, Events{"close:1000:" + reason});
}

TEST(WsClose, OneBytePayloadIs1002) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, "\x03"));
  EXPECT_EQ(out.error, make_error_code(errc::ws_bad_close_payload));
  EXPECT_EQ(out.close_code, close_code::protocol_error);
  EXPECT_FALSE(out.closed);
  EXPECT_TRUE(out.events.empty());
}

TEST(WsClose, InvalidCodeIs1002) {
  for (std::uint16_t c : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
    const auto out = feed_fresh<Role::server>(from_client(Opcode::close, code_bytes(c)));
    EXPECT_EQ(out.error, make_error_code(errc::ws_bad_close_code)) << c;
    EXPECT_EQ(out.close_code, 1002) << c;
    EXPECT_TRUE(out.events.empty());
  }
}

TEST(WsClose, ValidCodeIsReported) {
  for (std::uint16_t c : {1000, 1003, 1007, 1011, 1014, 3000, 4999}) {
    const auto out = feed_fresh<Role::server>(from_client(Opcode::close, code_bytes(c)));
    EXPECT_EQ(out.events, Events{"close:" + std::to_string(c) + ":"}) << c;
  }
}

TEST(WsClose, ReasonNotUtf8Is1007) {
  // Autobahn case 7.5.1's reason: a surrogate inside otherwise valid text.
  const std::string reason = "\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5\xED\xA0\x80\x65\x64\x69\x74\x65\x64";
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, close_payload(1000, reason)));
  EXPECT_EQ(out.error, make_error_code(errc::ws_invalid_utf8));
  EXPECT_EQ(out.close_code, close_code::invalid_payload);
}

TEST(WsClose, PayloadOver125Is1002) {
  // Autobahn case 7.3.6: code + 124 bytes of reason.
  const auto out = feed_fresh<Role::server>(from_client(Opcode::close, close_payload(1000, std::string(124, '*'))));
  EXPECT_EQ(out.error, make_error_code(errc::ws_control_too_long));
  EXPECT_EQ(out.close_code, 1002);
}

TEST(WsClose, ClientRoleReadsServerClose) {
  const auto out = feed_fresh<Role::client>(encode_frame<Role::server>(Opcode::close, close_payload(1000, "ok")));
  EXPECT_EQ(out.events, Events{"close:1000:ok"});
  EXPECT_TRUE(out.closed);
}

}  // namespace
}  // namespace sio::wire::ws
