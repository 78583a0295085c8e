// Lone UTF-16 surrogates in JSON strings, as JavaScript peers send them
// (JSON.stringify writes "\ud800" for half of a surrogate pair): parsed into
// WTF-8, written back as the same escape, in packets both ways.
#include <gtest/gtest.h>

#include "wire/sio_json.hpp"
#include "wire/sio_packet.hpp"
#include "wire/utf8.hpp"

namespace sio::wire::socketio {
namespace {
namespace json = boost::json;

json::value parse(std::string_view text) {
  std::error_code ec;
  json::value v = parse_json(text, ec);
  EXPECT_FALSE(ec) << text << ": " << ec.message();
  return v;
}

std::string write(const json::value& v) {
  std::string out;
  append_json(out, v);
  return out;
}

std::string string_of(std::string_view text) { return std::string(parse(text).as_string()); }

TEST(SioJsonSurrogates, LoneHighAndLowSurrogatesParseToWtf8) {
  EXPECT_EQ(string_of(R"("\ud800")"), "\xED\xA0\x80");
  EXPECT_EQ(string_of(R"("\uDBFF")"), "\xED\xAF\xBF");
  EXPECT_EQ(string_of(R"("\udc00")"), "\xED\xB0\x80");
  EXPECT_EQ(string_of(R"("\uDFFF")"), "\xED\xBF\xBF");
  EXPECT_EQ(string_of(R"("a\ud83db")"), "a\xED\xA0\xBD" "b");  // half an emoji inside text
}

TEST(SioJsonSurrogates, HighSurrogateFollowedByAnythingButALowOne) {
  EXPECT_EQ(string_of(R"("\ud800\u0041")"), "\xED\xA0\x80" "A");
  EXPECT_EQ(string_of(R"("\ud800\ud800")"), "\xED\xA0\x80\xED\xA0\x80");
  EXPECT_EQ(string_of(R"("\ud800\n")"), "\xED\xA0\x80\n");
  EXPECT_EQ(string_of(R"("\ud800x")"), "\xED\xA0\x80x");
  EXPECT_EQ(string_of(R"("\udc00\ud800")"), "\xED\xB0\x80\xED\xA0\x80");  // low then high: two lone ones
}

TEST(SioJsonSurrogates, PairsAndOtherEscapesAreUnchanged) {
  EXPECT_EQ(string_of(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");  // a pair is one code point
  EXPECT_EQ(string_of(R"("\ud800\ud83d\ude00")"), "\xED\xA0\x80\xF0\x9F\x98\x80");
  EXPECT_EQ(string_of(R"("\\ud800")"), "\\ud800");  // an escaped backslash, then text
}

TEST(SioJsonSurrogates, InKeysAndNestedValues) {
  const json::value v = parse(R"({"\udc00k":["x","\ud800"]})");
  const auto& o = v.as_object();
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o.begin()->key(), "\xED\xB0\x80k");
  EXPECT_EQ(o.begin()->value().as_array()[1].as_string(), "\xED\xA0\x80");
}

TEST(SioJsonSurrogates, WrittenBackAsJsonStringifyWritesThem) {
  // JSON.stringify("\ud800") === '"\\ud800"' (lower-case hex), and a pair
  // stays the raw character.
  for (const char* text : {R"("\ud800")", R"("\udfff")", R"("x\udbffy")", R"("\ud800A")", R"("\ud800\ud800")",
                           R"({"\udc00":["\ud800",1]})", R"("😀\ud83d")"}) {
    EXPECT_EQ(write(parse(text)), text);
  }
  EXPECT_EQ(write(parse(R"("\uD800")")), R"("\ud800")");
  EXPECT_EQ(write(parse(R"("\ud83d\ude00")")), "\"\xF0\x9F\x98\x80\"");
  // Other code points whose UTF-8 starts with ED (U+D000..U+D7FF) are not escaped.
  EXPECT_EQ(write(json::value("\xED\x9F\xBF")), "\"\xED\x9F\xBF\"");
  // A string that ends in the middle of an ED sequence is written as it is.
  EXPECT_EQ(write(json::value("a\xED\xA0")), "\"a\xED\xA0\"");
}

TEST(SioJsonSurrogates, StillRejected) {
  for (const char* text : {
           "\"\xED\xA0\x80\"",    // a raw (unescaped) surrogate is not UTF-8
           "\"\\ud800\xFF\"",     // invalid UTF-8 elsewhere in a text with a lone escape
           "\"\\ud800",           // unterminated
           "\"\\ud80\"",          // three hex digits
           "[\"\\ud800\"",        // unterminated array
           "\"\\ud800\" x",       // extra data
       }) {
    std::error_code ec;
    parse_json(text, ec);
    EXPECT_TRUE(ec) << text;
  }
}

TEST(SioJsonSurrogates, EventPacketRoundTrip) {
  // 2["echo","\ud800","\udc00","\ud800A"] as socket.io-client sends it.
  const std::string text = R"(2["echo","\ud800","\udc00","\ud800A"])";
  Decoder decoder;
  std::optional<Packet> p;
  ASSERT_FALSE(decoder.feed(text, false, p)) << decoder.error_detail();
  ASSERT_TRUE(p.has_value());
  const auto& ev = std::get<Event>(*p);
  ASSERT_EQ(ev.data.size(), 4u);
  EXPECT_EQ(ev.data[1].as_string(), "\xED\xA0\x80");
  std::string out;
  append_text(out, *p);
  EXPECT_EQ(out, text);
}

}  // namespace
}  // namespace sio::wire::socketio
