// Parser<R>: events, incremental feeding, zero copy, fragmentation, limits,
// and every framing rule of RFC 6455 section 5 (close frames: ws_close_test).
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "ws_test_support.hpp"

namespace sio::wire::ws {
namespace {

using test::feed;
using test::feed_fresh;
using test::from_client;
using test::from_server;
using test::Recorder;
using Events = std::vector<std::string>;

// A raw two-byte header plus an optional mask key and payload (unmasked, or
// masked with key 0 which leaves bytes as they are).
std::string raw(std::uint8_t b0, std::uint8_t b1, std::string_view rest = {}) {
  std::string s{static_cast<char>(b0), static_cast<char>(b1)};
  s.append(rest);
  return s;
}
const std::string kZeroKey(4, '\0');

TEST(WsParser, ServerReadsMaskedText) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "hello"));
  EXPECT_EQ(out.events, Events{"text:hello"});
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.leftover, 0u);
}

TEST(WsParser, ClientReadsUnmaskedBinary) {
  const std::string bin("\x00\x01\xFF\x80", 4);
  const auto out = feed_fresh<Role::client>(from_server(Opcode::binary, bin));
  EXPECT_EQ(out.events, Events{"binary:" + bin});
  EXPECT_FALSE(out.error);
}

TEST(WsParser, EmptyMessagesAndControlFrames) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "") + from_client(Opcode::binary, "") +
                                            from_client(Opcode::ping, "") + from_client(Opcode::pong, ""));
  EXPECT_EQ(out.events, (Events{"text:", "binary:", "ping:", "pong:"}));
}

TEST(WsParser, ManyFramesInOneRead) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "a") + from_client(Opcode::ping, "p") +
                                            from_client(Opcode::binary, "b") + from_client(Opcode::pong, "q"));
  EXPECT_EQ(out.events, (Events{"text:a", "ping:p", "binary:b", "pong:q"}));
}

TEST(WsParser, WholeMessageIsAViewIntoTheInput) {
  std::string bytes = from_client(Opcode::text, "zero copy") + from_client(Opcode::binary, "too");
  Parser<Role::server> p;
  Recorder rec;
  EXPECT_EQ(p.consume(std::span<char>(bytes), rec), bytes.size());
  ASSERT_EQ(rec.message_data.size(), 2u);
  for (const char* d : rec.message_data) {
    EXPECT_GE(d, bytes.data());
    EXPECT_LT(d, bytes.data() + bytes.size());
  }
  EXPECT_EQ(std::string_view(rec.message_data[0], 9), "zero copy");  // unmasked in place
}

TEST(WsParser, PartialHeaderIsLeftUnconsumed) {
  const std::string frame = from_client(Opcode::binary, std::string(300, 'x'));  // 2+2+4 header
  for (std::size_t n = 0; n < 8; ++n) {
    Parser<Role::server> p;
    Recorder rec;
    std::string part = frame.substr(0, n);
    EXPECT_EQ(p.consume(std::span<char>(part), rec), 0u) << n;
    EXPECT_FALSE(p.error());
  }
}

TEST(WsParser, PartialPayloadIsConsumedAndBuffered) {
  std::string frame = from_client(Opcode::binary, std::string(300, 'x'));
  Parser<Role::server> p;
  Recorder rec;
  std::string first = frame.substr(0, 108);
  EXPECT_EQ(p.consume(std::span<char>(first), rec), first.size());
  EXPECT_EQ(p.buffered(), 100u);
  EXPECT_TRUE(rec.events.empty());
  std::string rest = frame.substr(108);
  EXPECT_EQ(p.consume(std::span<char>(rest), rec), rest.size());
  EXPECT_EQ(rec.events, Events{"binary:" + std::string(300, 'x')});
  EXPECT_EQ(p.buffered(), 0u);
}

// What a message in pieces holds (its buffer's capacity) follows the bytes
// that arrived, and never passes the end of the frame announced: it is what
// the server-wide inbound budget is charged.
TEST(WsParser, HeldMemoryNeverPassesTheFrameEnd) {
  const std::size_t len = 150000;
  std::string frame = from_client(Opcode::binary, std::string(len, 'x'), /*fin=*/false);
  Parser<Role::server> p(1u << 20);
  Recorder rec;
  std::size_t fed = 0;
  std::size_t step = 1000;
  while (fed < frame.size()) {
    std::string part = frame.substr(fed, step);
    EXPECT_EQ(p.consume(std::span<char>(part), rec), part.size());
    fed += part.size();
    EXPECT_LE(p.held(), len) << fed;
    EXPECT_GE(p.held(), p.buffered());
    step = step * 3 / 2 + 7;  // growths of less than double, then more
  }
  EXPECT_EQ(p.buffered(), len);
  EXPECT_EQ(p.held(), len);
  std::string end = from_client(Opcode::continuation, "end");
  p.consume(std::span<char>(end), rec);
  EXPECT_EQ(rec.events, Events{"binary:" + std::string(len, 'x') + "end"});
  EXPECT_LE(p.held(), 15u);  // given back (what an empty std::string holds inline)
}

// A stream with every kind of event; feeding it in chunks of any size must
// give exactly the events of feeding it whole.
std::string mixed_stream() {
  return from_client(Opcode::text, "first") + from_client(Opcode::ping, "are you there") +
         from_client(Opcode::text, "frag-", false) + from_client(Opcode::ping, "mid", true, 0x01020304) +
         from_client(Opcode::continuation, "\xE2\x82", false) +  // "€" split across fragments
         from_client(Opcode::continuation, "\xAC-end", true) +
         from_client(Opcode::binary, std::string(200, 'b')) + from_client(Opcode::pong, "") +
         from_client(Opcode::binary, std::string(70000, 'L')) +
         from_client(Opcode::close, close_payload(1000, "bye"));
}

TEST(WsParser, ChunkedFeedingEqualsWholeFeeding) {
  const std::string stream = mixed_stream();
  const auto whole = feed_fresh<Role::server>(stream);
  ASSERT_FALSE(whole.error);
  ASSERT_EQ(whole.events, (Events{"text:first", "ping:are you there", "ping:mid", "text:frag-\xE2\x82\xAC-end",
                                  "binary:" + std::string(200, 'b'), "pong:", "binary:" + std::string(70000, 'L'),
                                  "close:1000:bye"}));
  EXPECT_TRUE(whole.closed);
  for (std::size_t chunk : {1, 2, 3, 5, 7, 13, 64, 1000, 4096}) {
    const auto part = feed_fresh<Role::server>(stream, chunk);
    EXPECT_EQ(part.events, whole.events) << chunk;
    EXPECT_EQ(part.error, whole.error);
    EXPECT_TRUE(part.closed);
  }
}

TEST(WsParser, ClientRoleChunkedEqualsWhole) {
  const std::string stream = from_server(Opcode::text, "x", false) + from_server(Opcode::ping, "p") +
                             from_server(Opcode::continuation, "y") + from_server(Opcode::binary, std::string(300, 'z'));
  const auto whole = feed_fresh<Role::client>(stream);
  EXPECT_EQ(whole.events, (Events{"ping:p", "text:xy", "binary:" + std::string(300, 'z')}));
  EXPECT_EQ(feed_fresh<Role::client>(stream, 1).events, whole.events);
}

TEST(WsParser, FragmentedMessageWithInterleavedPing) {
  const auto out = feed_fresh<Role::server>(
      from_client(Opcode::binary, "one ", false) + from_client(Opcode::ping, "ping") +
      from_client(Opcode::continuation, "two ", false) + from_client(Opcode::pong, "pong") +
      from_client(Opcode::continuation, "three", true));
  EXPECT_EQ(out.events, (Events{"ping:ping", "pong:pong", "binary:one two three"}));
  EXPECT_EQ(out.buffered, 0u);
}

TEST(WsParser, BufferedShowsFragmentsSoFar) {
  Parser<Role::server> p;
  const auto out = feed(p, from_client(Opcode::text, "abc", false) + from_client(Opcode::continuation, "de", false));
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(p.buffered(), 5u);
}

TEST(WsParser, TextSplitWithinCodePointAcrossFragments) {
  const std::string euro = "\xE2\x82\xAC";
  for (std::size_t cut = 0; cut <= 3; ++cut) {
    const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "a" + euro.substr(0, cut), false) +
                                              from_client(Opcode::continuation, euro.substr(cut) + "b"));
    EXPECT_EQ(out.events, Events{"text:a" + euro + "b"}) << cut;
    EXPECT_FALSE(out.error);
  }
}

TEST(WsParser, TextEndingInsideCodePointIs1007) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "a\xE2\x82", false) +
                                            from_client(Opcode::continuation, "", true));
  EXPECT_EQ(out.error, make_error_code(errc::ws_invalid_utf8));
  EXPECT_EQ(out.close_code, close_code::invalid_payload);
  EXPECT_TRUE(out.events.empty());
}

TEST(WsParser, InvalidUtf8InSingleFrameIs1007) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "ok\xED\xA0\x80"));
  EXPECT_EQ(out.error, make_error_code(errc::ws_invalid_utf8));
  EXPECT_EQ(out.close_code, 1007);
  EXPECT_TRUE(out.events.empty());
}

TEST(WsParser, BinaryIsNotUtf8Checked) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::binary, "\xFF\xFE"));
  EXPECT_EQ(out.events, Events{"binary:\xFF\xFE"});
}

TEST(WsParser, InvalidUtf8FailsBeforeTheFrameEnds) {
  // Only the start of a long text frame has arrived; it is already invalid.
  const std::string frame = from_client(Opcode::text, "abc\xC0" + std::string(1000, 'x'));
  const auto out = feed_fresh<Role::server>(frame.substr(0, 20));
  EXPECT_EQ(out.error, make_error_code(errc::ws_invalid_utf8));
  EXPECT_EQ(out.buffered, 0u);
}

TEST(WsParser, InvalidUtf8FailsBeforeTheMessageEnds) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "\xF4\x90", false));
  EXPECT_EQ(out.error, make_error_code(errc::ws_invalid_utf8));
}

TEST(WsParser, SixteenAndSixtyFourBitLengths) {
  for (std::size_t n : {125, 126, 127, 65535, 65536, 200000}) {
    const std::string payload(n, 'p');
    const std::string frame = from_client(Opcode::binary, payload);
    EXPECT_EQ(frame.size() - n, n < 126 ? 6u : n <= 65535 ? 8u : 14u);
    const auto whole = feed_fresh<Role::server>(frame);
    ASSERT_EQ(whole.events, Events{"binary:" + payload}) << n;
    EXPECT_EQ(feed_fresh<Role::server>(frame, 4093).events, whole.events) << n;
  }
}

TEST(WsParser, OverMaxSizeFailsOnTheHeaderAlone) {
  const std::string frame = from_client(Opcode::binary, std::string(101, 'x'));
  const auto out = feed_fresh<Role::server>(frame.substr(0, 6), 0, 100);
  EXPECT_EQ(out.error, make_error_code(errc::ws_message_too_big));
  EXPECT_EQ(out.close_code, close_code::too_big);
  EXPECT_EQ(out.buffered, 0u);
}

TEST(WsParser, ExactlyMaxSizeIsAccepted) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::binary, std::string(100, 'x')), 0, 100);
  EXPECT_FALSE(out.error);
  EXPECT_EQ(out.events.size(), 1u);
}

TEST(WsParser, FragmentsAddUpAgainstMaxSize) {
  const std::string first = from_client(Opcode::text, std::string(60, 'a'), false);
  const std::string second = from_client(Opcode::continuation, std::string(41, 'b'));
  const auto out = feed_fresh<Role::server>(first + second.substr(0, 6), 0, 100);
  EXPECT_EQ(out.error, make_error_code(errc::ws_message_too_big));
  EXPECT_EQ(out.close_code, 1009);
  // Control frames do not count against the message size.
  const auto ok = feed_fresh<Role::server>(first + from_client(Opcode::ping, std::string(100, 'p')) +
                                               from_client(Opcode::continuation, std::string(40, 'b')),
                                           0, 100);
  EXPECT_FALSE(ok.error);
  EXPECT_EQ(ok.events.size(), 2u);
}

TEST(WsParser, SetMaxMessageSizeAppliesToTheNextHeader) {
  Parser<Role::server> p(1000);
  p.set_max_message_size(10);
  const auto out = feed(p, from_client(Opcode::binary, std::string(11, 'x')));
  EXPECT_EQ(out.error, make_error_code(errc::ws_message_too_big));
}

struct Violation {
  const char* name;
  std::string bytes;  // for the server parser
  errc expected;
};

std::vector<Violation> server_violations() {
  std::vector<Violation> v;
  for (std::uint8_t rsv : {0x40, 0x20, 0x10})
    v.push_back({"rsv", raw(static_cast<std::uint8_t>(0x81 | rsv), 0x80, kZeroKey), errc::ws_reserved_bits});
  for (std::uint8_t op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    v.push_back({"opcode", raw(static_cast<std::uint8_t>(0x80 | op), 0x80, kZeroKey), errc::ws_bad_opcode});
  v.push_back({"unmasked", from_server(Opcode::text, "hi"), errc::ws_unmasked_frame});
  v.push_back({"fragmented ping", from_client(Opcode::ping, "x", false), errc::ws_control_fragmented});
  v.push_back({"fragmented close", from_client(Opcode::close, "", false), errc::ws_control_fragmented});
  v.push_back({"long ping", from_client(Opcode::ping, std::string(126, 'x')), errc::ws_control_too_long});
  v.push_back({"long pong", from_client(Opcode::pong, std::string(200, 'x')), errc::ws_control_too_long});
  v.push_back({"lone continuation", from_client(Opcode::continuation, "x"), errc::ws_bad_continuation});
  v.push_back({"continuation after whole message",
               from_client(Opcode::text, "a") + from_client(Opcode::continuation, "b"), errc::ws_bad_continuation});
  v.push_back({"text inside fragments",
               from_client(Opcode::text, "a", false) + from_client(Opcode::text, "b"), errc::ws_expected_continuation});
  v.push_back({"binary inside fragments",
               from_client(Opcode::binary, "a", false) + from_client(Opcode::binary, "b"),
               errc::ws_expected_continuation});
  v.push_back({"64-bit length MSB", raw(0x82, 0xFF, std::string("\x80\0\0\0\0\0\0\0", 8) + kZeroKey),
               errc::ws_bad_length});
  return v;
}

TEST(WsParser, ServerRuleViolationsAre1002InAnyChunking) {
  for (const auto& v : server_violations()) {
    for (std::size_t chunk : {0, 1, 3}) {
      const auto out = feed_fresh<Role::server>(v.bytes, chunk);
      EXPECT_EQ(out.error, make_error_code(v.expected)) << v.name << " chunk " << chunk;
      EXPECT_EQ(out.close_code, close_code::protocol_error) << v.name;
      EXPECT_EQ(out.buffered, 0u) << v.name;
    }
  }
}

TEST(WsParser, ClientRejectsMaskedFrames) {
  const auto out = feed_fresh<Role::client>(from_client(Opcode::text, "hi"));
  EXPECT_EQ(out.error, make_error_code(errc::ws_masked_frame));
  EXPECT_EQ(out.close_code, 1002);
}

TEST(WsParser, EventsBeforeAViolationAreDelivered) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "fine") + raw(0xC1, 0x80, kZeroKey));
  EXPECT_EQ(out.events, Events{"text:fine"});
  EXPECT_EQ(out.error, make_error_code(errc::ws_reserved_bits));
}

TEST(WsParser, NothingIsConsumedAfterAnError) {
  Parser<Role::server> p;
  Recorder rec;
  std::string bad = raw(0x83, 0x80, kZeroKey);
  EXPECT_EQ(p.consume(std::span<char>(bad), rec), 0u);
  ASSERT_TRUE(p.error());
  std::string good = from_client(Opcode::text, "late");
  EXPECT_EQ(p.consume(std::span<char>(good), rec), 0u);
  EXPECT_TRUE(rec.events.empty());
}

TEST(WsParser, NothingIsConsumedAfterClose) {
  Parser<Role::server> p;
  Recorder rec;
  const std::string close = from_client(Opcode::close, close_payload(1000));
  std::string bytes = close + from_client(Opcode::text, "after");
  EXPECT_EQ(p.consume(std::span<char>(bytes), rec), close.size());
  EXPECT_TRUE(p.closed());
  EXPECT_FALSE(p.error());
  EXPECT_EQ(p.consume(std::span<char>(bytes).subspan(close.size()), rec), 0u);
  EXPECT_EQ(rec.events, Events{"close:1000:"});
}

TEST(WsParser, CloseInsideFragmentedMessageDropsIt) {
  const auto out = feed_fresh<Role::server>(from_client(Opcode::text, "half", false) +
                                            from_client(Opcode::close, close_payload(1001)));
  EXPECT_EQ(out.events, Events{"close:1001:"});
  EXPECT_TRUE(out.closed);
  EXPECT_EQ(out.buffered, 0u);
}

TEST(WsParser, ControlFrameCutOffBetweenReads) {
  const std::string ping = from_client(Opcode::ping, std::string(125, 'q'));
  for (std::size_t cut = 1; cut < ping.size(); ++cut) {
    Parser<Role::server> p;
    const auto a = feed(p, ping.substr(0, cut));
    EXPECT_TRUE(a.events.empty());
    const auto b = feed(p, ping.substr(cut - a.leftover));
    ASSERT_EQ(b.events, Events{"ping:" + std::string(125, 'q')}) << cut;
  }
}

TEST(WsParser, ThrowingHandlerLeavesTheParserIdle) {
  struct Thrower : Recorder {
    void on_message(Opcode, std::string_view) { throw std::runtime_error("handler"); }
  };
  Parser<Role::server> p;
  Thrower t;
  std::string first = from_client(Opcode::text, "ab", false) + from_client(Opcode::continuation, "c");
  EXPECT_THROW(p.consume(std::span<char>(first), t), std::runtime_error);
  EXPECT_EQ(p.buffered(), 0u);
  const auto out = feed(p, from_client(Opcode::text, "x", false) + from_client(Opcode::continuation, "y"));
  EXPECT_EQ(out.events, Events{"text:xy"});
}

}  // namespace
}  // namespace sio::wire::ws
