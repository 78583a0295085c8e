// Broadcasting over two loops: rooms, except, several rooms without
// duplicates, socket.broadcast, one encoding shared by every recipient,
// acks gathered from every loop, fetch / join / leave / disconnect by room.
#include <gtest/gtest.h>

#include "io/io_fixture.hpp"

namespace sio::test {
namespace {

struct Broadcasts : IoTest {
  // p0 and p2 on loop 0, p1 on loop 1; everyone in "lobby", p1 also in "vip"
  std::unique_ptr<Peer> p0, p1, p2;
  std::string id0, id1, id2;

  void SetUp() override {
    of("/").on_connection([](Socket& s) {
      s.join("lobby");
      if (s.handshake().auth.contains("vip")) s.join("vip");
      s.data() = boost::json::object{{"name", s.handshake().auth.contains("vip") ? "v" : "n"}};
      s.on("bcast", [&s](Event& ev) { s.broadcast().emit_args("bcast", ev.args()); });
    });
    p0 = std::make_unique<Peer>(core, l0, "e0");
    p1 = std::make_unique<Peer>(core, l1, "e1");
    p2 = std::make_unique<Peer>(core, l0, "e2");
    id0 = connect(*p0);
    id1 = connect(*p1, "/", R"({"vip":true})");
    id2 = connect(*p2);
  }
  std::vector<std::vector<std::string>> take_all() { return {p0->take(), p1->take(), p2->take()}; }
  using Got = std::vector<std::vector<std::string>>;
};

TEST_F(Broadcasts, ToARoomReachesEveryLoop) {
  of("/").to("lobby").emit("m", 1);
  EXPECT_EQ(take_all(), (Got{{}, {}, {}}));  // posted to the loops
  run();
  const std::string m = R"(2["m",1])";
  EXPECT_EQ(take_all(), (Got{{m}, {m}, {m}}));
}

TEST_F(Broadcasts, OneEncodingIsSharedByEveryRecipient) {
  of("/").emit("m", "shared");
  run();
  const char* bytes = p0->conn().sent.at(0).bytes.data();
  EXPECT_EQ(p1->conn().sent.at(0).bytes.data(), bytes);
  EXPECT_EQ(p2->conn().sent.at(0).bytes.data(), bytes);
}

TEST_F(Broadcasts, ExceptAndSeveralRoomsWithoutDuplicates) {
  of("/").to("lobby").except(id0).emit("a");
  of("/").to({"lobby", "vip"}).emit("b");
  of("/").to("vip").except("lobby").emit("c");
  of("/").except("vip").emit("d");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["b"])", R"(2["d"])"},
                             {R"(2["a"])", R"(2["b"])"},
                             {R"(2["a"])", R"(2["b"])", R"(2["d"])"}}));
}

TEST_F(Broadcasts, SocketBroadcastLeavesTheSenderOut) {
  p0->send(R"(2["bcast","hi"])");
  run();
  EXPECT_EQ(take_all(), (Got{{}, {R"(2["bcast","hi"])"}, {R"(2["bcast","hi"])"}}));
}

TEST_F(Broadcasts, VolatileSkipsClientsThatCannotTakeIt) {
  p1->conn().writable_ = false;
  of("/").volatile_().emit("v");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["v"])"}, {}, {R"(2["v"])"}}));
}

TEST_F(Broadcasts, TheCompressFlagReachesEveryRecipient) {
  take_all();
  of("/").compress(false).emit("quiet");
  of("/").emit("loud");
  run();
  for (Peer* p : {p0.get(), p1.get(), p2.get()}) {
    const auto& sent = p->conn().sent;
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_FALSE(sent[0].compress);
    EXPECT_TRUE(sent[1].compress);
  }
}

TEST_F(Broadcasts, OtherNamespacesAreNotReached) {
  of("/other").on_connection([](Socket& s) { s.join("lobby"); });
  connect(*p0, "/other");
  of("/other").to("lobby").emit("x");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2/other,["x"])"}, {}, {}}));
}

TEST_F(Broadcasts, AcksAreGatheredFromEveryLoop) {
  std::vector<std::pair<std::error_code, std::size_t>> results;
  of("/").timeout(std::chrono::milliseconds(1000)).emit("q", [&](std::error_code ec, std::vector<Args> replies) {
    results.emplace_back(ec, replies.size());
  });
  run();
  auto got = take_all();
  const std::string pkt = got[0].at(0);
  const std::string id = pkt.substr(1, pkt.find('[') - 1);
  EXPECT_EQ(got, (Got{{pkt}, {pkt}, {pkt}}));  // one id for every recipient
  p0->send("3" + id + "[0]");
  p1->send("3" + id + "[1]");
  run();
  EXPECT_TRUE(results.empty());
  p2->send("3" + id + "[2]");
  run();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].first);
  EXPECT_EQ(results[0].second, 3u);
  // nothing left armed: the aggregator's timer and every socket's ack entry are gone
  EXPECT_EQ(l0.pending_timers() + l1.pending_timers(), 0u);
}

TEST_F(Broadcasts, AckTimeoutGivesTheAnswersThatCame) {
  std::vector<std::pair<std::error_code, std::vector<Args>>> results;
  of("/").to("vip").timeout(std::chrono::milliseconds(100)).emit("q", [&](std::error_code ec, std::vector<Args> r) {
    results.emplace_back(ec, std::move(r));
  });
  of("/").timeout(std::chrono::milliseconds(100)).emit("q2", [&](std::error_code ec, std::vector<Args> r) {
    results.emplace_back(ec, std::move(r));
  });
  run();
  take_all();
  p1->send(R"(30["only me"])");  // the first broadcast's id is 0 in this namespace
  run();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].first);
  EXPECT_EQ(results[0].second, (std::vector<Args>{Args{"only me"}}));
  p2->send(R"(31["late?"])");
  run();
  l0.advance(std::chrono::milliseconds(100));  // the home loop: the caller was on no loop
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].first, errc::sio_ack_timeout);
  EXPECT_EQ(results[1].second, (std::vector<Args>{Args{"late?"}}));
}

TEST_F(Broadcasts, AckTimeoutComesEvenWhenEveryAskedSocketGaveUpFirst) {
  std::vector<std::error_code> results;
  of("/").to("vip").timeout(std::chrono::milliseconds(100)).emit("q", [&](std::error_code ec, std::vector<Args>) {
    results.push_back(ec);
  });
  run();
  take_all();
  l1.advance(std::chrono::milliseconds(100));  // p1, the only one asked, forgets the ack first
  EXPECT_TRUE(results.empty());
  l0.advance(std::chrono::milliseconds(100));  // then the timer on the home loop
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0], errc::sio_ack_timeout);
}

TEST_F(Broadcasts, AckToNobodyCompletesAtOnce) {
  int calls = 0;
  of("/").to("empty-room").timeout(std::chrono::milliseconds(100)).emit("q", [&](std::error_code ec, std::vector<Args> r) {
    ++calls;
    EXPECT_FALSE(ec);
    EXPECT_TRUE(r.empty());
  });
  run();
  EXPECT_EQ(calls, 1);
}

TEST_F(Broadcasts, FetchSocketsSeesRoomsAndData) {
  std::vector<RemoteSocket> found;
  of("/").in("vip").fetch_sockets([&](std::error_code ec, std::vector<RemoteSocket> s) {
    EXPECT_FALSE(ec);
    found = std::move(s);
  });
  run();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id(), id1);
  EXPECT_EQ(found[0].rooms(), (std::set<std::string>{id1, "lobby", "vip"}));
  EXPECT_EQ(found[0].data().at("name"), "v");
  EXPECT_EQ(found[0].handshake().auth.at("vip"), true);

  std::vector<RemoteSocket> all;
  of("/").fetch_sockets([&](std::error_code, std::vector<RemoteSocket> s) { all = std::move(s); });
  run();
  EXPECT_EQ(all.size(), 3u);
}

TEST_F(Broadcasts, RemoteSocketOperations) {
  std::vector<RemoteSocket> found;
  of("/").in(id1).fetch_sockets([&](std::error_code, std::vector<RemoteSocket> s) { found = std::move(s); });
  run();
  ASSERT_EQ(found.size(), 1u);
  std::vector<std::string> answers;
  found[0].emit("ask", [&](std::error_code ec, Args reply) { answers.push_back(ec ? "error" : std::string(reply.at(0).json().as_string())); });
  run();
  auto pkt = p1->take().at(0);
  p1->send("3" + pkt.substr(1, pkt.find('[') - 1) + R"(["pong"])");
  run();
  EXPECT_EQ(answers, (std::vector<std::string>{"pong"}));
  found[0].join("joined");
  run();
  of("/").to("joined").emit("j");
  run();
  EXPECT_EQ(p1->take(), (std::vector<std::string>{R"(2["j"])"}));
  found[0].disconnect();
  run();
  EXPECT_EQ(p1->take(), (std::vector<std::string>{"1"}));
}

TEST_F(Broadcasts, SocketsJoinLeaveAndDisconnectByRoom) {
  of("/").in("vip").sockets_join("x");
  run();
  of("/").to("x").emit("to-x");
  run();
  EXPECT_EQ(take_all(), (Got{{}, {R"(2["to-x"])"}, {}}));
  of("/").sockets_leave("lobby");
  run();
  of("/").to("lobby").emit("nobody");
  run();
  EXPECT_EQ(take_all(), (Got{{}, {}, {}}));
  of("/").in("x").disconnect_sockets();
  of("/").except("x").disconnect_sockets(true);
  run();
  EXPECT_EQ(take_all(), (Got{{"1"}, {"1"}, {"1"}}));
  EXPECT_FALSE(p1->closed());
  EXPECT_TRUE(p0->closed());
  EXPECT_TRUE(p2->closed());
}

// Every socket is in the room named by its id (held implicitly by the adapter).
TEST_F(Broadcasts, ASocketIdIsARoom) {
  of("/").to(id1).emit("a");
  of("/").to({id0, id1}).emit("b");
  of("/").to("lobby").except(id2).emit("c");
  of("/").except({id0, id1}).emit("d");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["b"])", R"(2["c"])"},
                             {R"(2["a"])", R"(2["b"])", R"(2["c"])"},
                             {R"(2["d"])"}}));
  std::vector<RemoteSocket> found;
  of("/").in(id2).fetch_sockets([&](std::error_code, std::vector<RemoteSocket> s) { found = std::move(s); });
  run();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id(), id2);
  EXPECT_EQ(found[0].rooms(), (std::set<std::string>{id2, "lobby"}));
}

TEST_F(Broadcasts, OthersJoinARoomNamedLikeASocketId) {
  of("/").in(id1).sockets_join(id0);  // p1 joins the room "<p0's id>"
  run();
  of("/").to(id0).emit("a");
  of("/").except(id0).emit("b");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["a"])"}, {R"(2["a"])"}, {R"(2["b"])"}}));
  std::vector<RemoteSocket> found;
  of("/").in(id0).fetch_sockets([&](std::error_code, std::vector<RemoteSocket> s) { found = std::move(s); });
  run();
  EXPECT_EQ(found.size(), 2u);
}

// socket.io lets a socket leave the room of its own id: it is then reached
// by neither to(id) nor in(id), and except(id) no longer leaves it out.
TEST_F(Broadcasts, SocketsLeaveTheirOwnRoom) {
  of("/").in(id2).sockets_leave(id2);
  run();
  of("/").to(id2).emit("a");
  of("/").except(id2).emit("b");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["b"])"}, {R"(2["b"])"}, {R"(2["b"])"}}));
  std::vector<RemoteSocket> found{};
  bool answered = false;
  of("/").in(id2).fetch_sockets([&](std::error_code, std::vector<RemoteSocket> s) {
    answered = true;
    found = std::move(s);
  });
  run();
  EXPECT_TRUE(answered);
  EXPECT_TRUE(found.empty());
  of("/").in("lobby").sockets_join(id2);  // back in: p2 by its own id, p0 and p1 as guests
  run();
  of("/").to(id2).emit("c");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2["c"])"}, {R"(2["c"])"}, {R"(2["c"])"}}));
}

TEST_F(Broadcasts, ServerSideEmitOnOneServerAnswersWithNothing) {
  int calls = 0;
  of("/").server_side_emit("hello", 1, [&](std::error_code ec, std::vector<Args> replies) {
    ++calls;
    EXPECT_FALSE(ec);
    EXPECT_TRUE(replies.empty());
  });
  run();
  EXPECT_EQ(calls, 1);
  EXPECT_THROW(of("/").server_side_emit("connection"), std::invalid_argument);
}

TEST_F(Broadcasts, ParentNamespaceEmitsToEveryChild) {
  auto& parent = core.add_parent(namespace_regex("^/room-")).api();
  connect(*p0, "/room-1");
  connect(*p1, "/room-2");
  parent.emit("all");
  run();
  EXPECT_EQ(take_all(), (Got{{R"(2/room-1,["all"])"}, {R"(2/room-2,["all"])"}, {}}));
  std::error_code fetch_error;
  parent.fetch_sockets([&](std::error_code ec, std::vector<RemoteSocket>) { fetch_error = ec; });
  run();
  EXPECT_EQ(fetch_error, errc::operation_aborted);
}

}  // namespace
}  // namespace sio::test
