// Event / ack arguments to and from packets: blobs at the top level and
// nested, merged from several sources, and sio::Payload's own behaviour.
#include "wire/sio_args.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sio::wire::socketio {
namespace {
namespace json = boost::json;

std::vector<std::string> bytes_of(const Encoded& e) {
  std::vector<std::string> v;
  for (const auto& a : e.attachments) v.emplace_back(a.view());
  return v;
}

TEST(SioArgs, PlainEvent) {
  Encoded e = encode_event("/", "ev", Args{1, "two", json::object{{"a", true}}, nullptr}, std::nullopt);
  EXPECT_EQ(e.text.view(), R"(42["ev",1,"two",{"a":true},null])");
  EXPECT_TRUE(e.attachments.empty());
  EXPECT_EQ(encode_event("/admin", "ev", {}, 5).text.view(), R"(42/admin,5["ev"])");
  EXPECT_EQ(encode_ack("/x", 7, {}).text.view(), "43/x,7[]");
  EXPECT_EQ(encode_ack("/", 7, Args{"a", 2.5}).text.view(), R"(437["a",2.5])");
}

TEST(SioArgs, TopLevelBlobs) {
  Encoded e = encode_event("/", "file", Args{"name", Binary{1, 2, 3}, Binary{4}}, 3);
  EXPECT_EQ(e.text.view(), R"(452-3["file","name",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  EXPECT_EQ(bytes_of(e), (std::vector<std::string>{"\x01\x02\x03", "\x04"}));
  Encoded a = encode_ack("/", 9, Args{Binary{7}});
  EXPECT_EQ(a.text.view(), R"(461-9[{"_placeholder":true,"num":0}])");
}

TEST(SioArgs, NestedBlobsFromTheBuilder) {
  PayloadBuilder b;
  json::object o{{"name", "a.png"}, {"parts", json::array{b.add(Binary{1}), b.add(Binary{2})}}};
  Payload p = b.build(std::move(o));
  Encoded e = encode_event("/", "up", Args{p}, std::nullopt);
  EXPECT_EQ(e.text.view(),
            R"(452-["up",{"name":"a.png","parts":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]}])");
  EXPECT_EQ(bytes_of(e), (std::vector<std::string>{"\x01", "\x02"}));
  EXPECT_EQ(*p.binary(p.json().at("parts").at(1)), (Binary{2}));
  EXPECT_EQ(p.binary(p.json().at("name")), nullptr);
}

TEST(SioArgs, BlobsOfSeveralSourcesAreRenumberedInOrder) {
  // arguments from two packets, each numbering its own blobs from 0
  Payload x = Binary{0xa};
  Payload y(json::parse(R"({"k":{"_placeholder":true,"num":1}})"), {Binary{0xb}, Binary{0xc}});
  Encoded e = encode_event("/", "m", Args{y, x, y}, std::nullopt);
  EXPECT_EQ(e.text.view(),
            R"(452-["m",{"k":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1},{"k":{"_placeholder":true,"num":0}}])");
  EXPECT_EQ(bytes_of(e), (std::vector<std::string>{"\x0c", "\x0a"}));
}

TEST(SioArgs, UnusedBlobsAndForeignPlaceholders) {
  // a blob nobody refers to is not sent; a placeholder with no blob is data
  Payload p(json::parse(R"({"_placeholder":true,"num":5})"), {Binary{1}});
  Encoded e = encode_event("/", "m", Args{p}, std::nullopt);
  EXPECT_EQ(e.text.view(), R"(42["m",{"_placeholder":true,"num":5}])");
  EXPECT_TRUE(e.attachments.empty());
}

TEST(SioArgs, ReceivedArgumentsShareTheAttachments) {
  Decoder d;
  std::optional<Packet> out;
  ASSERT_FALSE(d.feed(R"(52-["message",{"_placeholder":true,"num":0},"plain",[{"_placeholder":true,"num":1}]])",
                      false, out));
  ASSERT_FALSE(d.feed("\x01\x02\x03", true, out));
  ASSERT_FALSE(d.feed("\x04\x05\x06", true, out));
  auto& ev = std::get<Event>(*out);
  Args args = to_args(std::move(ev.data), std::move(ev.attachments), 1);
  ASSERT_EQ(args.size(), 3u);
  EXPECT_TRUE(args[0].is_binary());
  EXPECT_EQ(args[0].as_binary().view(), "\x01\x02\x03");
  EXPECT_TRUE(args[1].binaries().empty());  // no placeholder inside: no blobs kept
  EXPECT_EQ(args[1].json(), "plain");
  EXPECT_EQ(args[2].binary(args[2].json().at(0))->view(), "\x04\x05\x06");
  // the protocol test suite's echo: same placeholders, same blobs
  Encoded back = encode_event("/", "message-back", {args[0], args[2]}, std::nullopt);
  EXPECT_EQ(back.text.view(), R"(452-["message-back",{"_placeholder":true,"num":0},[{"_placeholder":true,"num":1}]])");
  EXPECT_EQ(bytes_of(back), (std::vector<std::string>{"\x01\x02\x03", "\x04\x05\x06"}));
}

TEST(SioArgs, ToArgsSkipsTheEventName) {
  Args a = to_args(json::array{"ev", 1, 2}, {}, 1);
  EXPECT_EQ(a, (Args{1, 2}));
  EXPECT_TRUE(to_args(json::array{"ev"}, {}, 1).empty());
}

TEST(SioPayload, EqualityLooksThroughPlaceholderNumbers) {
  Payload a(json::parse(R"([{"_placeholder":true,"num":1}])"), {Binary{9}, Binary{8}});
  PayloadBuilder b;
  Payload c = b.build(json::array{b.add(Binary{8})});
  EXPECT_EQ(a, c);
  EXPECT_FALSE(a == (Payload(json::parse(R"([{"_placeholder":true,"num":0}])"), {Binary{9}, Binary{8}})));
  EXPECT_EQ(Payload("x"), Payload(json::string("x")));
  EXPECT_FALSE(Payload(1) == Payload(2));
  EXPECT_FALSE(Payload(1).is_binary());
  EXPECT_TRUE(Payload(1).as_binary().empty());
  EXPECT_EQ(Payload().json(), nullptr);
}

TEST(SioPayload, BinaryIsSharedNotCopied) {
  Binary a(std::string(1000, 'x'));
  Binary b = a;
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(Binary("ab", 2).view(), "ab");
  EXPECT_TRUE(Binary().empty());
}

}  // namespace
}  // namespace sio::wire::socketio
