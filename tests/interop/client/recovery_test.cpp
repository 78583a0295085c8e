// sio::Client with connection state recovery, against the official Node
// socket.io server (connectionStateRecovery: {}) and ours (--recovery's
// equivalent), over each transport: after a lost connection it comes back
// with the same id, hears the events it missed (binary too) once, in order,
// before on_connect, and what it emitted offline reaches the server once.
#include <gtest/gtest.h>

#include <mutex>
#include <tuple>
#include <vector>

#include <boost/json/parse.hpp>

#include "client_harness.hpp"
#include "test_server.hpp"

namespace sio::test {
namespace {

namespace json = boost::json;

using Param = std::tuple<ServerKind, Mode>;

class ClientRecovery : public ::testing::TestWithParam<Param> {
 protected:
  ClientRecovery() : server(std::get<0>(GetParam()), json::object{{"recovery", true}}) {}

  std::unique_ptr<Client> make() {
    ClientOptions o = options_for(std::get<1>(GetParam()));
    o.reconnection = false;  // the test reconnects once the missed events are sent
    auto c = std::make_unique<Client>(server.url(), std::move(o));
    watch(*c, log);
    return c;
  }
  // The args of the next "news" event, as shown by the log.
  std::string news() {
    auto e = log.wait("/ event news");
    return e ? e->substr(std::string("/ event news ").size()) : "(none)";
  }

  TestServer server;
  EventLog log;
};

TEST_P(ClientRecovery, ComesBackWithItsIdAndTheEventsItMissed) {
  auto c = make();
  auto& s = c->socket();
  watch(s, log, {"news", "echo"});
  c->run_in_background();
  ASSERT_TRUE(log.wait("/ connect"));
  EXPECT_FALSE(s.recovered());
  const std::string id = s.id();
  ASSERT_TRUE(server.wait({{"ev", "connection"}, {"recovered", false}}));
  server.command({{"cmd", "emit"}, {"event", "news"}, {"args", json::array{"a"}}});
  const auto first = json::parse(news()).as_array();
  ASSERT_EQ(first.size(), 2u);  // "a" and the offset
  EXPECT_TRUE(first[1].is_string());

  c->drop_connection();
  ASSERT_TRUE(log.wait("/ disconnect forced close"));
  ASSERT_TRUE(server.wait({{"ev", "disconnect"}, {"id", id}}));
  server.command({{"cmd", "emit"}, {"event", "news"}, {"args", json::array{"b"}}});
  server.command({{"cmd", "emit-binary"}, {"event", "news"}, {"base64", "AQID"}});
  server.command({{"cmd", "emit"}, {"event", "news"}, {"args", json::array{"c"}}});
  ASSERT_TRUE(server.wait({{"ev", "done"}, {"cmd", "emit"}}));
  ASSERT_TRUE(server.wait({{"ev", "done"}, {"cmd", "emit-binary"}}));
  ASSERT_TRUE(server.wait({{"ev", "done"}, {"cmd", "emit"}}));
  EXPECT_FALSE(s.emit("echo", "offline"));  // into the offline buffer

  // The order the handlers run in, from now on.
  std::mutex mu;
  std::vector<std::string> order;
  s.on("news", [&](ClientEvent& e) {
    std::lock_guard lk(mu);
    order.push_back(e.arg(0).is_binary() ? "bin" : std::string(e.arg(0).json().as_string()));
  });
  s.on_connect([&] {
    {
      std::lock_guard lk(mu);
      order.push_back("connect");
    }
    log.push("order connect");
  });
  s.connect();
  const auto back = server.wait({{"ev", "connection"}, {"id", id}});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at("recovered"), true);
  EXPECT_EQ(back->at("auth").at("pid").kind(), json::kind::string);
  // missed events, in order, then "connect", then the echo of the offline emit
  auto b = log.wait("/ event news");
  auto bin = log.wait("/ event news");
  auto cc = log.wait("/ event news");
  ASSERT_TRUE(b && bin && cc);
  EXPECT_EQ(b->rfind(R"(/ event news ["b",)", 0), 0u) << *b;
  EXPECT_EQ(bin->rfind(R"(/ event news [{"bin":[1,2,3]},)", 0), 0u) << *bin;
  EXPECT_EQ(cc->rfind(R"(/ event news ["c",)", 0), 0u) << *cc;
  ASSERT_TRUE(log.wait("/ connect"));
  ASSERT_TRUE(log.wait("order connect"));
  EXPECT_TRUE(s.recovered());
  EXPECT_EQ(s.id(), id);
  {
    std::lock_guard lk(mu);
    EXPECT_EQ(order, (std::vector<std::string>{"b", "bin", "c", "connect"}));
  }
  const auto echo = log.wait("/ event echo");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->rfind(R"(/ event echo ["offline")", 0), 0u) << *echo;
  ASSERT_TRUE(server.wait({{"ev", "event"}, {"name", "echo"}}));

  // Nothing came twice: an "end" marker is the next of each kind.
  server.command({{"cmd", "emit"}, {"event", "news"}, {"args", json::array{"end"}}});
  EXPECT_EQ(news().rfind(R"(["end",)", 0), 0u);
  EXPECT_FALSE(s.emit("echo", "end"));
  const auto echo_end = log.wait("/ event echo");
  ASSERT_TRUE(echo_end);
  EXPECT_EQ(echo_end->rfind(R"(/ event echo ["end")", 0), 0u) << *echo_end;
  const auto server_end = server.wait({{"ev", "event"}, {"name", "echo"}});
  ASSERT_TRUE(server_end);
  EXPECT_EQ(server_end->at("args").at(0), "end");
  c->close();
}

TEST_P(ClientRecovery, NotRecoveredAfterItsOwnDisconnect) {
  auto c = make();
  auto& s = c->socket();
  watch(s, log, {"news"});
  c->run_in_background();
  ASSERT_TRUE(log.wait("/ connect"));
  const std::string id = s.id();
  server.command({{"cmd", "emit"}, {"event", "news"}, {"args", json::array{"a"}}});
  ASSERT_TRUE(log.wait("/ event news"));
  s.disconnect();
  ASSERT_TRUE(server.wait({{"ev", "disconnect"}, {"id", id}}));
  s.connect();
  const auto back = server.wait({{"ev", "connection"}});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->at("recovered"), false);
  ASSERT_TRUE(log.wait("/ connect"));
  EXPECT_FALSE(s.recovered());
  EXPECT_NE(s.id(), id);
  c->close();
}

const auto kModes = ::testing::Values(Mode::polling, Mode::websocket, Mode::upgrade);

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return kind_name(std::get<0>(info.param)) + "_" + mode_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Node, ClientRecovery, ::testing::Combine(::testing::Values(ServerKind::node), kModes),
                         param_name);
INSTANTIATE_TEST_SUITE_P(Ours, ClientRecovery, ::testing::Combine(::testing::Values(ServerKind::ours), kModes),
                         param_name);

}  // namespace
}  // namespace sio::test
