// Cluster messages against what the real @socket.io/redis-adapter and
// @socket.io/redis-emitter published (vectors/redis_adapter_messages.json):
// we read every one of them, and what we write is byte-identical.
#include <gtest/gtest.h>

#include <map>

#include "adapter/cluster/channels.hpp"
#include "adapter/cluster/message_codec.hpp"
#include "cluster_vectors.hpp"

namespace sio::adapter::cluster {
namespace {
namespace json = boost::json;
using test::from_hex;
using test::json_text;
using test::to_hex;
using wire::socketio::Attachments;

struct Vector {
  std::string channel;
  std::string bytes;
};

// name -> the messages published under it, in order.
const std::multimap<std::string, Vector>& vectors() {
  static const auto m = [] {
    std::multimap<std::string, Vector> out;
    const auto v = test::load_vectors("redis_adapter_messages.json");
    for (const auto& e : v.get_array()) {
      const auto& o = e.get_object();
      out.emplace(std::string(o.at("name").get_string()),
                  Vector{std::string(o.at("channel").get_string()), from_hex(o.at("hex").get_string())});
    }
    return out;
  }();
  return m;
}

const Vector& vec(const std::string& name, std::size_t index = 0) {
  auto [b, e] = vectors().equal_range(name);
  for (std::size_t i = 0; b != e; ++b, ++i)
    if (i == index) return b->second;
  throw std::out_of_range(name);
}

ClusterPacket event(std::string nsp, json::array data, Attachments att = {}) {
  ClusterPacket p;
  p.nsp = std::move(nsp);
  p.data = std::move(data);
  p.attachments = std::move(att);
  return p;
}

json::value placeholder(int n) { return {{"_placeholder", true}, {"num", n}}; }

// ---------------- broadcasts ----------------

TEST(ClusterMessages, BroadcastToAll) {
  BroadcastMessage m{"nodeA1", event("/", {"chat", "hi", 1, {{"a", true}}}), {}};
  const auto& v = vec("broadcast_all");
  EXPECT_EQ(v.channel, Channels("socket.io", "/").broadcast({}));
  EXPECT_EQ(to_hex(encode_broadcast(m)), to_hex(v.bytes));
  std::error_code ec;
  auto d = decode_broadcast(v.bytes, ec);
  ASSERT_TRUE(d) << ec.message();
  EXPECT_EQ(d->uid, "nodeA1");
  EXPECT_EQ(d->packet.nsp, "/");
  EXPECT_EQ(json_text(d->packet.data), R"(["chat","hi",1,{"a":true}])");
  EXPECT_TRUE(d->opts.selector.rooms.empty());
  EXPECT_FALSE(d->opts.flags.volatile_);
}

TEST(ClusterMessages, BroadcastToOneRoomGoesToTheRoomChannel) {
  BroadcastMessage m{"nodeA1", event("/", {"chat", 2.5}), {}};
  m.opts.selector = {{"room1"}, {"room9"}};
  m.opts.flags.compress = false;
  m.opts.flags.volatile_ = true;
  const auto& v = vec("broadcast_room_except_flags");
  EXPECT_EQ(v.channel, Channels("socket.io", "/").broadcast(m.opts.selector.rooms));
  EXPECT_EQ(to_hex(encode_broadcast(m)), to_hex(v.bytes));
  std::error_code ec;
  auto d = decode_broadcast(v.bytes, ec);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->opts.selector.rooms, std::vector<std::string>{"room1"});
  EXPECT_EQ(d->opts.selector.except, std::vector<std::string>{"room9"});
  EXPECT_EQ(d->opts.flags.volatile_, true);
  EXPECT_EQ(d->opts.flags.compress, false);
}

TEST(ClusterMessages, BroadcastWithBinaryInANamespace) {
  BroadcastMessage m{"nodeB2", event("/chat", {"bin", placeholder(0), {{"n", {placeholder(1)}}}}, {"\x01\x02\x03", "abc"}), {}};
  m.opts.selector.rooms = {"a", "b"};
  m.opts.flags.compress = true;
  const auto& v = vec("broadcast_rooms_binary");
  EXPECT_EQ(v.channel, Channels("socket.io", "/chat").broadcast(m.opts.selector.rooms));
  EXPECT_EQ(to_hex(encode_broadcast(m)), to_hex(v.bytes));
  std::error_code ec;
  auto d = decode_broadcast(v.bytes, ec);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->packet.nsp, "/chat");
  EXPECT_EQ(json_text(d->packet.data), json_text(m.packet.data));
  EXPECT_EQ(d->packet.attachments, m.packet.attachments);
}

TEST(ClusterMessages, EmitterBroadcastsDecode) {
  std::error_code ec;
  auto all = decode_broadcast(vec("emitter_all").bytes, ec);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->uid, "emitter");
  EXPECT_EQ(json_text(all->packet.data), R"(["news",{"title":"t"},[1,2]])");

  EXPECT_EQ(vec("emitter_room").channel, "socket.io#/#room1#");
  auto room = decode_broadcast(vec("emitter_room").bytes, ec);
  ASSERT_TRUE(room);
  EXPECT_EQ(room->opts.selector.rooms, std::vector<std::string>{"room1"});

  auto x = decode_broadcast(vec("emitter_nsp_except_volatile").bytes, ec);
  ASSERT_TRUE(x);
  EXPECT_EQ(x->packet.nsp, "/chat");
  EXPECT_EQ(x->opts.selector.except, std::vector<std::string>{"c"});
  EXPECT_EQ(x->opts.flags.volatile_, true);
  EXPECT_EQ(json_text(x->packet.data), R"(["x",{"_placeholder":true,"num":0}])");
  EXPECT_EQ(x->packet.attachments, Attachments{std::string("\x00\x01", 2)});
}

TEST(ClusterMessages, MalformedBroadcastsAreErrors) {
  std::error_code ec;
  for (const char* h : {"", "93", "92a161c0", "93a16183a47479706503a46461746190a36e7370a12f80", "c0"}) {
    EXPECT_FALSE(decode_broadcast(from_hex(h), ec)) << h;
    EXPECT_EQ(ec, make_error_code(errc::cluster_bad_message)) << h;
  }
}

// ---------------- requests ----------------

template <class T>
void expect_request_bytes(const std::string& name, T r) {
  SCOPED_TRACE(name);
  const auto& v = vec(name);
  EXPECT_EQ(v.channel, "socket.io-request#/#");
  const std::string out = encode_request(Request(std::move(r)));
  if (!out.empty() && out[0] == '{')
    EXPECT_EQ(out, v.bytes);
  else
    EXPECT_EQ(to_hex(out), to_hex(v.bytes));
}

TEST(ClusterMessages, RequestsMatchTheNodeAdapter) {
  expect_request_bytes("fetch_sockets_request", FetchSocketsRequest{"nodeA1", "uid004", {{"room1"}, {"x"}}});
  expect_request_bytes("all_rooms_request", AllRoomsRequest{"nodeA1", "uid005"});
  RoomsRequest join;
  join.uid = "nodeA1";
  join.opts = Selector{{"room1"}, {}};
  join.rooms = {"new1", "new2"};
  expect_request_bytes("sockets_join_request", join);
  RoomsRequest leave;
  leave.type = RequestType::remote_leave;
  leave.uid = "nodeA1";
  leave.opts = Selector{{}, {"room2"}};
  leave.rooms = {"room1"};
  expect_request_bytes("sockets_leave_request", leave);
  DisconnectRequest dis;
  dis.uid = "nodeA1";
  dis.opts = Selector{{"room1"}, {}};
  dis.close = true;
  expect_request_bytes("disconnect_request", dis);
  expect_request_bytes("server_side_emit_request", ServerSideEmitRequest{"nodeA1", std::nullopt, {"hello", "world", 42}, {}});
  expect_request_bytes("server_side_emit_ack_request", ServerSideEmitRequest{"nodeA1", "uid006", {"ping", 1}, {}});
  BroadcastWithAckRequest b{"nodeA1", "uid003", event("/", {"ask", 7}), {}};
  b.opts.selector.rooms = {"room2"};
  b.opts.flags.timeout = 5000;
  expect_request_bytes("broadcast_with_ack_request", b);
}

TEST(ClusterMessages, EveryPublishedRequestDecodes) {
  int n = 0;
  for (const auto& [name, v] : vectors()) {
    if (v.channel.rfind("socket.io-request#", 0) != 0) continue;
    std::error_code ec;
    EXPECT_TRUE(decode_request(v.bytes, ec)) << name << ": " << ec.message();
    ++n;
  }
  EXPECT_EQ(n, 12);
}

TEST(ClusterMessages, EmitterRequestsDecode) {
  std::error_code ec;
  auto join = decode_request(vec("emitter_sockets_join").bytes, ec);
  ASSERT_TRUE(join);
  const auto& j = std::get<RoomsRequest>(*join);
  EXPECT_EQ(j.type, RequestType::remote_join);
  EXPECT_TRUE(j.uid.empty());
  EXPECT_EQ(j.opts->rooms, std::vector<std::string>{"room1"});
  EXPECT_EQ(j.rooms, std::vector<std::string>{"j1"});

  auto leave = decode_request(vec("emitter_sockets_leave").bytes, ec);
  ASSERT_TRUE(leave);
  EXPECT_EQ(std::get<RoomsRequest>(*leave).type, RequestType::remote_leave);
  EXPECT_EQ(std::get<RoomsRequest>(*leave).opts->except, std::vector<std::string>{"room2"});

  auto dis = decode_request(vec("emitter_disconnect").bytes, ec);
  ASSERT_TRUE(dis);
  EXPECT_TRUE(std::get<DisconnectRequest>(*dis).close);

  auto sse = decode_request(vec("emitter_server_side_emit").bytes, ec);
  ASSERT_TRUE(sse);
  EXPECT_EQ(std::get<ServerSideEmitRequest>(*sse).uid, "emitter");
  EXPECT_FALSE(std::get<ServerSideEmitRequest>(*sse).request_id);
  EXPECT_EQ(json_text(std::get<ServerSideEmitRequest>(*sse).data), R"(["hello",1])");
}

TEST(ClusterMessages, BroadcastWithAckRequestDecodes) {
  std::error_code ec;
  auto r = decode_request(vec("broadcast_with_ack_request").bytes, ec);
  ASSERT_TRUE(r);
  const auto& b = std::get<BroadcastWithAckRequest>(*r);
  EXPECT_EQ(b.uid, "nodeA1");
  EXPECT_EQ(b.request_id, "uid003");
  EXPECT_EQ(b.opts.flags.timeout, 5000u);
  EXPECT_EQ(json_text(b.packet.data), R"(["ask",7])");
}

TEST(ClusterMessages, UnknownOrMalformedRequestsAreErrors) {
  std::error_code ec;
  for (std::string_view s : {R"({"type":42})", R"({"uid":"a"})", "{oops", R"({"type":5,"uid":"a"})", "\x81\xa1"}) {
    EXPECT_FALSE(decode_request(s, ec)) << s;
    EXPECT_EQ(ec, make_error_code(errc::cluster_bad_message)) << s;
  }
}

TEST(ClusterMessages, ServerSideEmitWritesBinaryAsBufferJson) {
  ServerSideEmitRequest r{"u", std::nullopt, {"f", placeholder(0)}, {"\x01\xff"}};
  EXPECT_EQ(encode_request(r), R"({"uid":"u","type":6,"data":["f",{"type":"Buffer","data":[1,255]}]})");
}

// ---------------- responses ----------------

PendingLookup asked(RequestType t) {
  return [t](std::string_view) { return std::optional<RequestType>(t); };
}

TEST(ClusterMessages, FetchSocketsResponseMatches) {
  const auto& v = vec("fetch_sockets_response");
  EXPECT_EQ(v.channel, "socket.io-response#/#");
  std::error_code ec;
  auto r = decode_response(v.bytes, asked(RequestType::remote_fetch), ec);
  ASSERT_TRUE(r) << ec.message();
  const auto& f = std::get<FetchSocketsResponse>(*r);
  ASSERT_EQ(f.sockets.size(), 1u);
  EXPECT_EQ(f.sockets[0].id, "sock1");
  EXPECT_EQ(f.sockets[0].rooms, (std::vector<std::string>{"sock1", "room1", "room2"}));
  EXPECT_EQ(json_text(f.sockets[0].data), R"({"user":"ann","n":1})");
  EXPECT_EQ(f.sockets[0].handshake.at("address").get_string(), "127.0.0.1");
  EXPECT_EQ(encode_response(f), v.bytes);  // byte-identical JSON
}

TEST(ClusterMessages, OtherResponsesMatch) {
  std::error_code ec;
  auto rooms = decode_response(vec("all_rooms_response").bytes, asked(RequestType::all_rooms), ec);
  ASSERT_TRUE(rooms);
  EXPECT_EQ(std::get<AllRoomsResponse>(*rooms).rooms.size(), 4u);
  EXPECT_EQ(encode_response(*rooms), vec("all_rooms_response").bytes);

  auto sse = decode_response(vec("server_side_emit_response").bytes, asked(RequestType::server_side_emit), ec);
  ASSERT_TRUE(sse);
  EXPECT_EQ(json_text(std::get<ServerSideEmitResponse>(*sse).data), R"({"pong":5})");
  EXPECT_EQ(encode_response(*sse), vec("server_side_emit_response").bytes);

  auto count = decode_response(vec("broadcast_ack_responses", 0).bytes, asked(RequestType::broadcast), ec);
  ASSERT_TRUE(count);
  EXPECT_EQ(std::get<ClientCountResponse>(*count).client_count, 1u);
  EXPECT_EQ(encode_response(*count), vec("broadcast_ack_responses", 0).bytes);

  auto ack = decode_response(vec("broadcast_ack_responses", 1).bytes, asked(RequestType::broadcast), ec);
  ASSERT_TRUE(ack);
  const auto& a = std::get<BroadcastAckResponse>(*ack);
  EXPECT_EQ(a.request_id, "req004");
  EXPECT_EQ(json_text(a.packet), R"(["yes",{"_placeholder":true,"num":0}])");
  EXPECT_EQ(a.attachments, Attachments{"\x05"});
  EXPECT_EQ(to_hex(encode_response(*ack)), to_hex(vec("broadcast_ack_responses", 1).bytes));

  auto ids = decode_response(vec("legacy_sockets_response").bytes, asked(RequestType::sockets), ec);
  ASSERT_TRUE(ids);
  EXPECT_EQ(std::get<SocketIdsResponse>(*ids).sockets, (std::vector<std::string>{"sock1", "sock2"}));
}

TEST(ClusterMessages, ResponsesToOthersAreIgnoredWithoutError) {
  std::error_code ec;
  auto none = [](std::string_view) { return std::optional<RequestType>(); };
  EXPECT_FALSE(decode_response(vec("all_rooms_response").bytes, none, ec));
  EXPECT_FALSE(ec);
}

// ---------------- channels ----------------

TEST(ClusterChannels, NamesAsTheNodeAdapter) {
  Channels c("socket.io", "/chat");
  EXPECT_EQ(c.broadcast({}), "socket.io#/chat#");
  EXPECT_EQ(c.broadcast({"a", "b"}), "socket.io#/chat#");
  EXPECT_EQ(c.broadcast({"a"}), "socket.io#/chat#a#");
  EXPECT_EQ(c.broadcast_pattern(), "socket.io#/chat#*");
  EXPECT_EQ(c.request(), "socket.io-request#/chat#");
  EXPECT_EQ(c.response(), "socket.io-response#/chat#");
  EXPECT_EQ(c.specific_response("abc123"), "socket.io-response#/chat#abc123#");
}

TEST(ClusterChannels, RoomOfABroadcastChannel) {
  Channels c("socket.io", "/");
  EXPECT_EQ(c.room_of("socket.io#/#"), std::optional<std::string>(""));
  EXPECT_EQ(c.room_of("socket.io#/#room#1#"), std::optional<std::string>("room#1"));
  EXPECT_FALSE(c.room_of("socket.io#/chat#x#"));
  EXPECT_FALSE(c.room_of("socket.io-request#/#"));
}

}  // namespace
}  // namespace sio::adapter::cluster
