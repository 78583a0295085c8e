// Writing frames: header layout, minimal length encoding, masking, and round
// trips through the parser of the other role.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "ws_test_support.hpp"

namespace sio::wire::ws {
namespace {

using test::feed_fresh;
using namespace std::string_literals;
using Events = std::vector<std::string>;

std::string header(Opcode op, bool fin, std::uint64_t len, const std::uint32_t* key = nullptr) {
  char buf[max_header_size];
  return std::string(buf, write_header(buf, op, fin, len, key));
}

TEST(WsWriter, SevenBitLength) {
  EXPECT_EQ(header(Opcode::text, true, 0), std::string("\x81\x00", 2));
  EXPECT_EQ(header(Opcode::binary, true, 125), "\x82\x7D");
  EXPECT_EQ(header(Opcode::continuation, false, 5), "\x00\x05"s);
  EXPECT_EQ(header(Opcode::ping, true, 1), "\x89\x01");
  EXPECT_EQ(header(Opcode::close, true, 2), "\x88\x02");
}

TEST(WsWriter, SixteenBitLength) {
  EXPECT_EQ(header(Opcode::binary, true, 126), "\x82\x7E\x00\x7E"s);
  EXPECT_EQ(header(Opcode::binary, true, 65535), "\x82\x7E\xFF\xFF"s);
}

TEST(WsWriter, SixtyFourBitLength) {
  EXPECT_EQ(header(Opcode::binary, true, 65536), "\x82\x7F\x00\x00\x00\x00\x00\x01\x00\x00"s);
  EXPECT_EQ(header(Opcode::text, false, 0x0102030405060708ull), "\x01\x7F\x01\x02\x03\x04\x05\x06\x07\x08"s);
}

TEST(WsWriter, MaskKeyFollowsLength) {
  const std::uint32_t key = 0x11223344;
  char key_bytes[4];
  std::memcpy(key_bytes, &key, 4);
  const std::string h = header(Opcode::text, true, 300, &key);
  ASSERT_EQ(h.size(), 8u);
  EXPECT_EQ(static_cast<std::uint8_t>(h[1]), 0x80 | 126);
  EXPECT_EQ(h.substr(4), std::string(key_bytes, 4));
  EXPECT_EQ(header(Opcode::binary, true, 1u << 20, &key).size(), max_header_size);
}

// Byte i of the payload is XORed with key byte (offset + i) % 4, key bytes
// taken in memory (= wire) order.
std::string mask_bytewise(std::string s, std::uint32_t key, std::size_t offset) {
  unsigned char k[4];
  std::memcpy(k, &key, 4);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>(s[i] ^ k[(offset + i) % 4]);
  return s;
}

TEST(WsWriter, ApplyMaskMatchesBytewiseDefinitionForAllOffsetsAndLengths) {
  std::mt19937 rng(7);
  for (std::size_t n = 0; n < 100; ++n) {
    std::string data(n, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    const std::uint32_t key = static_cast<std::uint32_t>(rng());
    for (std::size_t offset = 0; offset < 9; ++offset) {
      std::string fast = data;
      apply_mask(fast.data(), fast.size(), key, offset);
      ASSERT_EQ(fast, mask_bytewise(data, key, offset)) << n << " " << offset;
    }
  }
}

TEST(WsWriter, MaskingInPiecesEqualsMaskingWhole) {
  std::string data(1000, 'm');
  const std::uint32_t key = 0xDEADBEEF;
  std::string whole = data;
  apply_mask(whole.data(), whole.size(), key);
  std::size_t at = 0;
  for (std::size_t piece : {1, 3, 7, 64, 100, 825}) {
    apply_mask(data.data() + at, piece, key, at);
    at += piece;
  }
  ASSERT_EQ(at, data.size());
  EXPECT_EQ(data, whole);
}

TEST(WsWriter, ServerFramesAreUnmasked) {
  const std::string f = encode_frame<Role::server>(Opcode::text, "hi");
  EXPECT_EQ(f, "\x81\x02hi");
}

TEST(WsWriter, ClientFramesAreMasked) {
  const std::uint32_t key = 0x04030201;
  const std::string f = encode_frame<Role::client>(Opcode::text, "hi", true, key);
  ASSERT_EQ(f.size(), 8u);
  EXPECT_EQ(static_cast<std::uint8_t>(f[1]), 0x82);
  EXPECT_EQ(f.substr(6), mask_bytewise("hi", key, 0));
}

TEST(WsWriter, RoundTripClientToServer) {
  for (std::size_t n : {0, 1, 125, 126, 65535, 65536, 100000}) {
    const std::string payload(n, static_cast<char>('a' + n % 26));
    const auto out = feed_fresh<Role::server>(encode_frame<Role::client>(Opcode::text, payload, true, 0x9E3779B9));
    ASSERT_EQ(out.events, Events{"text:" + payload}) << n;
  }
}

TEST(WsWriter, RoundTripServerToClient) {
  for (std::size_t n : {0, 1, 125, 126, 65535, 65536, 100000}) {
    const std::string payload(n, '\xAB');
    const auto out = feed_fresh<Role::client>(encode_frame<Role::server>(Opcode::binary, payload));
    ASSERT_EQ(out.events, Events{"binary:" + payload}) << n;
  }
}

TEST(WsWriter, RoundTripFragmentsAndControlBothWays) {
  const std::string close = close_payload(4000, "done");
  const auto srv = feed_fresh<Role::server>(
      encode_frame<Role::client>(Opcode::text, "ab", false) + encode_frame<Role::client>(Opcode::ping, "p") +
      encode_frame<Role::client>(Opcode::continuation, "c") + encode_frame<Role::client>(Opcode::close, close));
  EXPECT_EQ(srv.events, (Events{"ping:p", "text:abc", "close:4000:done"}));
  const auto cli = feed_fresh<Role::client>(
      encode_frame<Role::server>(Opcode::binary, "ab", false) + encode_frame<Role::server>(Opcode::pong, "q") +
      encode_frame<Role::server>(Opcode::continuation, "c") + encode_frame<Role::server>(Opcode::close, close));
  EXPECT_EQ(cli.events, (Events{"pong:q", "binary:abc", "close:4000:done"}));
}

}  // namespace
}  // namespace sio::wire::ws
