// Connection state recovery in the Socket.IO layer, without a network
// (socket.io 4.8's behaviour, its test/connection-state-recovery.ts cases):
// the CONNECT answer's pid, the offset as the last argument of what is
// stored, what is not stored (acks, volatile), the reasons a session is kept
// for, the replay before the CONNECT, rooms and data, middlewares. And with
// recovery off, the packets are byte for byte what they were.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "io/io_fixture.hpp"

namespace sio::test {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

struct Recovery : ::testing::Test {
  FakeLoop l0{0}, l1{1};
  std::chrono::steady_clock::time_point now{};
  bool skip_middlewares = true;
  std::unique_ptr<io::ServerCore> core;
  int middleware_runs = 0;
  std::vector<Socket*> sockets;  // by connection order

  void make(bool enabled = true) {
    io::Config c;
    c.connect_timeout = 1000ms;
    c.recovery.enabled = enabled;
    c.recovery.max_disconnection_duration = 10000ms;
    c.recovery.skip_middlewares = skip_middlewares;
    c.clock = [this] { return now; };
    core = std::make_unique<io::ServerCore>(c);
    core->set_loops({&l0, &l1});
    auto& nsp = core->of("/").api();
    nsp.use([this](Socket&, Next next) {
      ++middleware_runs;
      next();
    });
    nsp.on_connection([this](Socket& s) { sockets.push_back(&s); });
  }
  void run() { run_all({&l0, &l1}); }

  // The CONNECT answer's data (what the peer got last), the rest in `before`.
  static boost::json::object connected(Peer& p, std::string_view auth = "", Strings* before = nullptr) {
    p.send("0" + std::string(auth));
    auto out = p.take();
    if (out.empty() || out.back().rfind("0{", 0) != 0) return {};
    if (before) before->assign(out.begin(), out.end() - 1);
    return boost::json::parse(out.back().substr(1)).as_object();
  }
  static std::string last_arg(const std::string& packet) {
    auto a = boost::json::parse(packet.substr(packet.find('['))).as_array();
    return std::string(a.back().as_string());
  }
  std::string auth(const boost::json::object& connect, const std::string& offset) const {
    return boost::json::serialize(boost::json::object{{"pid", connect.at("pid")}, {"offset", offset}});
  }
  void emit_all(std::string_view tag) {
    l0.enter([&] { core->of("/").api().emit(tag); });
    run();
  }
};

TEST_F(Recovery, OffNothingChanges) {
  make(false);
  Peer p(*core, l0);
  const auto c = connected(p);
  EXPECT_FALSE(c.contains("pid"));
  emit_all("news");
  l0.enter([&] { sockets[0]->emit("hello", 1); });
  EXPECT_EQ(p.take(), (Strings{R"(2["news"])", R"(2["hello",1])"}));
}

TEST_F(Recovery, ConnectCarriesAPidAndStoredPacketsAnOffset) {
  make();
  Peer p(*core, l0);
  const auto c = connected(p);
  ASSERT_TRUE(c.contains("pid"));
  EXPECT_EQ(c.at("pid").as_string().size(), 20u);
  EXPECT_NE(c.at("pid"), c.at("sid"));
  emit_all("news");
  l0.enter([&] {
    sockets[0]->emit("private", 1);                                            // stored
    sockets[0]->volatile_().emit("vol", 2);                                    // not: volatile
    sockets[0]->emit("with-ack", 3, [](std::error_code, Args) {});             // not: an ack
    core->of("/").api().timeout(1000ms).emit("bcast-ack", [](std::error_code, std::vector<Args>) {});  // not
    core->of("/").api().volatile_().emit("bcast-vol");                         // not
  });
  run();
  const auto out = p.take();
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0].rfind(R"(2["news",")", 0), 0u) << out[0];
  EXPECT_EQ(out[1].rfind(R"(2["private",1,")", 0), 0u) << out[1];
  EXPECT_EQ(out[2], R"(2["vol",2])");
  EXPECT_EQ(out[3].rfind(R"(2)", 0), 0u);
  EXPECT_EQ(out[3].substr(out[3].find('[')), R"(["with-ack",3])");
  EXPECT_EQ(out[4].substr(out[4].find('[')), R"(["bcast-ack"])");
  EXPECT_EQ(out[5], R"(2["bcast-vol"])");
  EXPECT_NE(last_arg(out[0]), last_arg(out[1]));
}

TEST_F(Recovery, RestoredAfterATransportCloseWithRoomsDataAndMissedPacketsBeforeConnect) {
  make();
  Peer a(*core, l0, "eio-a");
  Peer b(*core, l1, "eio-b");
  const auto ca = connected(a);
  connected(b);
  l0.enter([&] {
    sockets[0]->join("r1");
    sockets[0]->data() = boost::json::object{{"name", "alice"}};
  });
  emit_all("first");
  const auto offset = last_arg(a.take().back());
  b.take();
  const int runs = middleware_runs;

  a.drop(engine::CloseReason::transport_close);
  emit_all("m1");
  l1.enter([&] { core->of("/").api().to("r1").emit("to-r1", Binary{1, 2}); });
  l1.enter([&] { core->of("/").api().to("r2").emit("to-r2"); });
  l1.enter([&] { core->of("/").api().except("r1").emit("not-r1"); });
  run();
  emit_all("m2");

  Peer a2(*core, l1, "eio-a2");  // back on another loop
  Strings before;
  const auto c2 = connected(a2, auth(ca, offset), &before);
  EXPECT_EQ(c2.at("sid"), ca.at("sid"));
  EXPECT_EQ(c2.at("pid"), ca.at("pid"));
  ASSERT_EQ(before.size(), 4u);  // the replay, then CONNECT
  EXPECT_EQ(before[0].rfind(R"(2["m1",")", 0), 0u);
  EXPECT_EQ(before[1].rfind(R"(51-["to-r1",{"_placeholder":true,"num":0},")", 0), 0u) << before[1];
  EXPECT_EQ(before[2], "<bin:\x01\x02>");
  EXPECT_EQ(before[3].rfind(R"(2["m2",")", 0), 0u);
  Socket* s = sockets.back();
  EXPECT_TRUE(s->recovered());
  EXPECT_EQ(s->rooms(), (std::set<std::string>{std::string(ca.at("sid").as_string()), "r1"}));
  EXPECT_EQ(s->data(), (boost::json::object{{"name", "alice"}}));
  EXPECT_EQ(middleware_runs, runs);  // skipped
  emit_all("after");  // once, to the recovered socket
  const auto out = a2.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rfind(R"(2["after",")", 0), 0u);
}

TEST_F(Recovery, MiddlewaresRunWhenNotSkipped) {
  skip_middlewares = false;
  make();
  Peer a(*core, l0, "eio-a");
  const auto ca = connected(a);
  emit_all("first");
  const auto offset = last_arg(a.take().back());
  a.drop(engine::CloseReason::ping_timeout);
  const int runs = middleware_runs;
  Peer a2(*core, l0, "eio-a2");
  EXPECT_EQ(connected(a2, auth(ca, offset)).at("sid"), ca.at("sid"));
  EXPECT_EQ(middleware_runs, runs + 1);
  EXPECT_TRUE(sockets.back()->recovered());
}

// Only socket.io's RECOVERABLE_DISCONNECT_REASONS keep a session.
TEST_F(Recovery, KeptOnlyForTheRecoverableReasons) {
  make();
  const std::vector<std::pair<std::string, bool>> cases = {
      {"transport close", true}, {"ping timeout", true}, {"client namespace disconnect", false},
      {"server namespace disconnect", false}, {"parse error", false}};
  for (const auto& [reason, kept] : cases) {
    Peer a(*core, l0, "eio-" + reason);
    const auto ca = connected(a);
    emit_all("first");
    const auto offset = last_arg(a.take().back());
    if (reason == "transport close") a.drop(engine::CloseReason::transport_close);
    if (reason == "ping timeout") a.drop(engine::CloseReason::ping_timeout);
    if (reason == "client namespace disconnect") a.send("1");
    if (reason == "server namespace disconnect") l0.enter([&] { sockets.back()->disconnect(); });
    if (reason == "parse error") a.send("9");
    run();
    Peer a2(*core, l0, "eio2-" + reason);
    const auto c2 = connected(a2, auth(ca, offset));
    EXPECT_EQ(c2.at("sid") == ca.at("sid"), kept) << reason;
    EXPECT_EQ(sockets.back()->recovered(), kept) << reason;
  }
}

TEST_F(Recovery, NotAfterTheDuration) {
  make();
  Peer a(*core, l0, "eio-a");
  const auto ca = connected(a);
  emit_all("first");
  const auto offset = last_arg(a.take().back());
  a.drop(engine::CloseReason::transport_close);
  now += 10001ms;
  Peer a2(*core, l0, "eio-a2");
  const auto c2 = connected(a2, auth(ca, offset));
  EXPECT_NE(c2.at("sid"), ca.at("sid"));
  EXPECT_NE(c2.at("pid"), ca.at("pid"));
  EXPECT_FALSE(sockets.back()->recovered());
}

// socket.io restores only when pid and offset are both strings.
TEST_F(Recovery, AnAuthWithoutAnOffsetStringStartsANewSession) {
  make();
  Peer a(*core, l0, "eio-a");
  const auto ca = connected(a);
  a.drop(engine::CloseReason::transport_close);
  Peer a2(*core, l0, "eio-a2");
  const auto c2 = connected(a2, boost::json::serialize(boost::json::object{{"pid", ca.at("pid")}, {"offset", 5}}));
  EXPECT_NE(c2.at("sid"), ca.at("sid"));
}

}  // namespace
}  // namespace sio::test
