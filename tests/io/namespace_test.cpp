// Namespace routing on one connection: CONNECT / CONNECT_ERROR, auth,
// middlewares, dynamic namespaces, the connect timeout, and the packets that
// close the connection.
#include <gtest/gtest.h>

#include "io/io_fixture.hpp"
#include "io/socket_core.hpp"

namespace sio::test {
namespace {

using Namespaces = IoTest;

TEST_F(Namespaces, ConnectsToTheMainNamespace) {
  std::string seen;
  of("/").on_connection([&](Socket& s) { seen = s.id(); });
  Peer p(core, l0);
  p.send("0");
  auto out = p.take();
  ASSERT_EQ(out.size(), 1u);
  auto sid = boost::json::parse(out[0].substr(1)).as_object();
  EXPECT_EQ(sid.size(), 1u);  // {"sid": ...} and nothing else
  EXPECT_EQ(sid.at("sid").as_string(), seen);
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_NE(seen, "eio-sid");  // never the Engine.IO id
}

TEST_F(Namespaces, UnknownNamespaceIsRefused) {
  Peer p(core, l0);
  p.send("0/random");
  EXPECT_EQ(p.take(), (std::vector<std::string>{R"(4/random,{"message":"Invalid namespace"})"}));
  EXPECT_FALSE(p.closed());
}

TEST_F(Namespaces, AuthAndHandshake) {
  Handshake hs;
  of("/custom").on_connection([&](Socket& s) {
    hs = s.handshake();
    s.emit("auth", s.handshake().auth);
  });
  Peer p(core, l0);
  p.send(R"(0/custom,{"token":"abc"})");
  auto out = p.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rfind("0/custom,{\"sid\":", 0), 0u);
  EXPECT_EQ(out[1], R"(2/custom,["auth",{"token":"abc"}])");
  EXPECT_EQ(hs.address(), "127.0.0.1");
  EXPECT_EQ(hs.query_param("token"), "q");
  EXPECT_EQ(hs.header("host"), "localhost");
  EXPECT_EQ(hs.url(), "/socket.io/?EIO=4&transport=websocket&token=q");
  EXPECT_TRUE(hs.xdomain());
  EXPECT_FALSE(hs.secure());
  EXPECT_GT(hs.issued, 0);
  EXPECT_NE(hs.time().find("GMT"), std::string::npos);
}

TEST_F(Namespaces, SeveralNamespacesShareOneConnection) {
  of("/a");
  of("/b");
  Peer p(core, l0);
  const auto s1 = connect(p, "/");
  const auto s2 = connect(p, "/a");
  const auto s3 = connect(p, "/b");
  EXPECT_FALSE(s1.empty() || s2.empty() || s3.empty());
  EXPECT_NE(s1, s2);
  // leaving /a keeps the connection and the others
  std::vector<std::string> got;
  of("/b").on_connection([](Socket&) {});
  p.send("1/a,");
  p.send(R"(2/b,["x"])");
  EXPECT_FALSE(p.closed());
}

TEST_F(Namespaces, MiddlewareRefusesWithMessageAndData) {
  of("/admin").use([](Socket& s, Next next) {
    if (s.handshake().auth.contains("token")) {
      next();
    } else {
      next(Error{"not authorized", boost::json::object{{"code", 42}}});
    }
  });
  int connections = 0;
  of("/admin").on_connection([&](Socket&) { ++connections; });
  Peer p(core, l0);
  p.send("0/admin,");
  EXPECT_EQ(p.take(), (std::vector<std::string>{R"(4/admin,{"message":"not authorized","data":{"code":42}})"}));
  EXPECT_EQ(connections, 0);
  EXPECT_FALSE(connect(p, "/admin", R"({"token":1})").empty());
  EXPECT_EQ(connections, 1);
}

TEST_F(Namespaces, MiddlewaresRunInOrderAndMayAnswerLater) {
  std::vector<int> order;
  Next later;
  of("/").use([&](Socket&, Next next) {
    order.push_back(1);
    later = next;  // answered after this returns, from "elsewhere"
  });
  of("/").use([&](Socket&, Next next) {
    order.push_back(2);
    next();
  });
  Peer p(core, l0);
  p.send("0");
  EXPECT_TRUE(p.take().empty());
  EXPECT_EQ(order, (std::vector<int>{1}));
  later();
  later();  // a second call is ignored
  l0.run();  // next() continues the chain on the socket's loop
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  auto out = p.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rfind("0{\"sid\":", 0), 0u);
}

TEST_F(Namespaces, MiddlewareErrorWithoutDataLeavesDataOut) {
  of("/").use([](Socket&, Next next) { next(Error{"nope", nullptr}); });
  Peer p(core, l0);
  p.send("0");
  EXPECT_EQ(p.take(), (std::vector<std::string>{R"(4{"message":"nope"})"}));
}

TEST_F(Namespaces, DynamicNamespacesFromAParent) {
  auto& parent = core.add_parent(namespace_regex("^/dyn-\\d+$")).api();
  std::vector<std::string> seen;
  parent.use([&](Socket& s, Next next) {
    seen.push_back("mw:" + s.nsp().name());
    next();
  });
  parent.on_connection([&](Socket& s) { seen.push_back("conn:" + s.nsp().name()); });
  Peer p(core, l0);
  EXPECT_FALSE(connect(p, "/dyn-12").empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"mw:/dyn-12", "conn:/dyn-12"}));
  p.send("0/dyn-x,");
  EXPECT_EQ(p.take(), (std::vector<std::string>{R"(4/dyn-x,{"message":"Invalid namespace"})"}));
  // the child is a namespace like any other now
  EXPECT_EQ(&core.of("/dyn-12"), core.resolve("/dyn-12", {}));
  ASSERT_EQ(core.resolve("/_0", {}), nullptr);  // the parent itself is not joinable
}

TEST(DynamicNamespaces, AParentCreatesAtMostItsCap) {
  FakeLoop l0{0};
  io::Config c = IoTest::make_config();
  c.max_dynamic_namespaces = 2;
  io::ServerCore core{c};
  core.set_loops({&l0});
  core.add_parent(namespace_regex("^/room-"));
  Peer p(core, l0);
  EXPECT_FALSE(IoTest::connect(p, "/room-1").empty());
  EXPECT_FALSE(IoTest::connect(p, "/room-2").empty());
  p.send("0/room-3,");  // a third name: refused as no parent's
  EXPECT_EQ(p.take(), (std::vector<std::string>{R"(4/room-3,{"message":"Invalid namespace"})"}));
  EXPECT_FALSE(p.closed());
  Peer q(core, l0);
  EXPECT_FALSE(IoTest::connect(q, "/room-1").empty());  // the ones it made stay joinable
  EXPECT_EQ(core.resolve("/room-4", {}), nullptr);
}

TEST_F(Namespaces, PredicateSeesTheAuthPayload) {
  core.add_parent([](const std::string& name, const boost::json::object& auth) {
    return name == "/vip" && auth.contains("pass");
  });
  Peer p(core, l0);
  p.send("0/vip,{}");
  EXPECT_EQ(p.take().at(0), R"(4/vip,{"message":"Invalid namespace"})");
  EXPECT_FALSE(connect(p, "/vip", R"({"pass":true})").empty());
}

TEST_F(Namespaces, NoConnectWithinTheTimeoutClosesTheConnection) {
  Peer p(core, l0);
  l0.advance(std::chrono::milliseconds(999));
  EXPECT_FALSE(p.closed());
  l0.advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(p.closed());
}

TEST_F(Namespaces, AConnectStopsTheTimeout) {
  Peer p(core, l0);
  connect(p);
  l0.advance(std::chrono::milliseconds(5000));
  EXPECT_FALSE(p.closed());
}

TEST_F(Namespaces, ARefusedConnectDoesNotStopTheTimeout) {
  Peer p(core, l0);
  p.send("0/nowhere,");
  l0.advance(std::chrono::milliseconds(1000));
  EXPECT_TRUE(p.closed());
}

TEST_F(Namespaces, PacketsThatCloseTheConnection) {
  for (std::string_view bad : {"2/other,[\"x\"]", "4{\"message\":\"x\"}", "abc", "2{}", "2abc[\"x\"]"}) {
    Peer p(core, l0);
    connect(p);
    p.send(bad);
    EXPECT_TRUE(p.closed()) << bad;
  }
  Peer p(core, l0);
  connect(p);
  p.send("0");  // a second CONNECT to the same namespace
  EXPECT_TRUE(p.closed());
}

TEST_F(Namespaces, ParseErrorIsTheDisconnectReason) {
  std::vector<DisconnectReason> reasons;
  of("/").on_connection([&](Socket& s) { s.on_disconnect([&](DisconnectReason r) { reasons.push_back(r); }); });
  Peer p(core, l0);
  connect(p);
  p.send("52-[\"x\"]");  // two attachments promised...
  p.send("2[\"y\"]");     // ... and a text message instead
  EXPECT_TRUE(p.closed());
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::parse_error}));
  l0.run();  // the engine's on_close(forced close) that follows changes nothing
  EXPECT_EQ(reasons.size(), 1u);
}

TEST_F(Namespaces, EngineCloseReasonsReachEverySocket) {
  const std::pair<engine::CloseReason, DisconnectReason> cases[] = {
      {engine::CloseReason::transport_close, DisconnectReason::transport_close},
      {engine::CloseReason::transport_error, DisconnectReason::transport_error},
      {engine::CloseReason::ping_timeout, DisconnectReason::ping_timeout},
      {engine::CloseReason::server_shutdown, DisconnectReason::server_shutting_down},
  };
  of("/a");
  for (auto [engine_reason, expected] : cases) {
    std::vector<std::string> seen;
    auto watch = [&](Socket& s) {
      s.on_disconnect([&seen, &s](DisconnectReason r) { seen.push_back(s.nsp().name() + ":" + std::string(to_string(r))); });
    };
    io::ServerCore server{make_config()};
    server.set_loops({&l0});
    server.of("/").api().on_connection(watch);
    server.of("/a").api().on_connection(watch);
    Peer p(server, l0);
    connect(p);
    connect(p, "/a");
    p.drop(engine_reason);
    std::sort(seen.begin(), seen.end());
    const std::string r(to_string(expected));
    EXPECT_EQ(seen, (std::vector<std::string>{"/:" + r, "/a:" + r}));
  }
}

TEST_F(Namespaces, ClientNamespaceDisconnect) {
  std::vector<DisconnectReason> reasons;
  of("/a").on_connection([&](Socket& s) { s.on_disconnect([&](DisconnectReason r) { reasons.push_back(r); }); });
  Peer p(core, l0);
  connect(p);
  connect(p, "/a");
  p.send("1/a,");
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::client_namespace_disconnect}));
  EXPECT_FALSE(p.closed());
  EXPECT_FALSE(connect(p, "/a").empty());  // and may come back
}

TEST_F(Namespaces, NamespaceNamesGetALeadingSlash) { EXPECT_EQ(&of("admin"), &of("/admin")); }

}  // namespace
}  // namespace sio::test
