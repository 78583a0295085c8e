// The network side of the client (net/client: polling, WebSocket, upgrade)
// against the official Node server, at the Engine.IO level: Socket.IO packets
// are written by hand here.
#include "net/client/engine_link.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "net/client/client_loop.hpp"
#include "test_server.hpp"

namespace sio::test {
namespace {

using namespace std::chrono_literals;
using net::client::ClientLoop;
using engine::client::TransportKind;

// Records what a link reports, for the test thread to wait on.
struct Recorder : net::client::EngineListener {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> events;

  void push(std::string e) {
    {
      std::lock_guard lk(mu);
      events.push_back(std::move(e));
    }
    cv.notify_all();
  }
  void on_open(const engine::client::Handshake& hs) override { push("open " + std::to_string(hs.ping_interval.count())); }
  void on_message(std::string_view d, bool binary) override { push(std::string(binary ? "bin " : "msg ") + std::string(d)); }
  void on_close(engine::CloseReason r, std::string_view d) override {
    push("close " + std::string(engine::to_string(r)) + " / " + std::string(d));
  }
  void on_upgrade(TransportKind k) override { push("upgrade " + std::string(engine::client::to_string(k))); }

  // The next event starting with `prefix` (earlier ones are dropped).
  std::optional<std::string> wait(const std::string& prefix, std::chrono::milliseconds t = 10s) {
    std::unique_lock lk(mu);
    const auto deadline = std::chrono::steady_clock::now() + t;
    for (;;) {
      while (!events.empty()) {
        auto e = std::move(events.front());
        events.pop_front();
        if (e.rfind(prefix, 0) == 0) return e;
      }
      if (cv.wait_until(lk, deadline) == std::cv_status::timeout && events.empty()) return std::nullopt;
    }
  }
};

struct Harness {
  ClientLoop loop;
  Recorder rec;
  std::unique_ptr<net::client::EngineConnector> connector;
  std::unique_ptr<net::client::EngineLink> link;

  Harness(int port, std::vector<TransportKind> transports, bool upgrade = true) {
    net::client::EngineTarget t;
    t.endpoint.host = "127.0.0.1";
    t.endpoint.port = static_cast<std::uint16_t>(port);
    t.session.transports = std::move(transports);
    t.session.upgrade = upgrade;
    connector = net::client::make_connector(loop, t);
    loop.post([this] { link = connector->connect(rec); });
    loop.start_thread();
  }
  ~Harness() {
    loop.post([this] { link.reset(); });
    loop.stop();
    loop.join();
  }
  void send(std::string data, bool binary = false) {
    loop.post([this, data = std::move(data), binary] { link->send(data, binary); });
  }
};

TEST(EngineLinkInterop, PollingOnlyConnectsAndExchanges) {
  NodeServer server;
  Harness h(server.port(), {TransportKind::polling});
  ASSERT_TRUE(h.rec.wait("open"));
  h.send("0");  // Socket.IO CONNECT to "/"
  auto m = h.rec.wait("msg 0{\"sid\"");
  ASSERT_TRUE(m) << "no CONNECT answer";
  ASSERT_TRUE(server.wait({{"ev", "connection"}, {"transport", "polling"}}));
  h.send(R"(2["echo","hi",1])");
  EXPECT_TRUE(h.rec.wait(R"(msg 2["echo","hi",1])"));
}

TEST(EngineLinkInterop, WebSocketOnlyConnectsAndExchanges) {
  NodeServer server;
  Harness h(server.port(), {TransportKind::websocket});
  ASSERT_TRUE(h.rec.wait("open"));
  h.send("0");
  ASSERT_TRUE(h.rec.wait("msg 0{\"sid\""));
  ASSERT_TRUE(server.wait({{"ev", "connection"}, {"transport", "websocket"}}));
  // A binary event: the placeholder packet, then the attachment.
  h.send(R"(51-["echo",{"_placeholder":true,"num":0}])");
  h.send(std::string("\x01\x02\x03", 3), true);
  EXPECT_TRUE(h.rec.wait(R"(msg 51-["echo",{"_placeholder":true,"num":0}])"));
  EXPECT_EQ(h.rec.wait("bin"), std::string("bin \x01\x02\x03", 7));
}

TEST(EngineLinkInterop, PollingUpgradesToWebSocket) {
  NodeServer server;
  Harness h(server.port(), {TransportKind::polling, TransportKind::websocket});
  ASSERT_TRUE(h.rec.wait("open"));
  h.send("0");
  ASSERT_TRUE(h.rec.wait("upgrade websocket", 15s));
  ASSERT_TRUE(server.wait({{"ev", "upgrade"}, {"transport", "websocket"}}));
  h.send(R"(2["echo","after upgrade"])");
  EXPECT_TRUE(h.rec.wait(R"(msg 2["echo","after upgrade"])"));
}

TEST(EngineLinkInterop, HeartbeatKeepsTheSessionAlive) {
  NodeServer server({{"pingInterval", 100}, {"pingTimeout", 100}, {"reportPongs", true}});
  Harness h(server.port(), {TransportKind::polling}, false);
  ASSERT_TRUE(h.rec.wait("open 100"));
  h.send("0");
  ASSERT_TRUE(h.rec.wait("msg 0{"));
  // Several heartbeats pass (the server hears our pongs); the session must
  // still carry messages.
  ASSERT_TRUE(server.wait({{"ev", "connection"}}));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(server.wait({{"ev", "pong"}})) << "pong " << i;
  for (int i = 0; i < 5; ++i) {
    h.send(R"(2["echo",)" + std::to_string(i) + "]");
    ASSERT_TRUE(h.rec.wait(R"(msg 2["echo",)" + std::to_string(i) + "]"));
  }
}

TEST(EngineLinkInterop, MissingPingsCloseWithPingTimeout) {
  NodeServer server({{"pingInterval", 200}, {"pingTimeout", 200}});
  Harness h(server.port(), {TransportKind::websocket});
  ASSERT_TRUE(h.rec.wait("open"));
  h.send("0");
  ASSERT_TRUE(h.rec.wait("msg 0{"));
  h.send(R"(2["stop-pings"])");
  EXPECT_TRUE(h.rec.wait("close ping timeout", 10s));
}

TEST(EngineLinkInterop, ServerSideCloseIsSeen) {
  for (auto kind : {TransportKind::polling, TransportKind::websocket}) {
    NodeServer server;
    Harness h(server.port(), {kind});
    ASSERT_TRUE(h.rec.wait("open"));
    h.send("0");
    ASSERT_TRUE(h.rec.wait("msg 0{"));
    h.send(R"(2["close-transport"])");
    EXPECT_TRUE(h.rec.wait("close transport close")) << engine::client::to_string(kind);
  }
}

TEST(EngineLinkInterop, RefusedConnectionIsATransportError) {
  int port;
  {
    NodeServer server;
    port = server.port();
    server.kill();
  }
  Harness h(port, {TransportKind::polling});
  EXPECT_TRUE(h.rec.wait("close transport error"));
}

}  // namespace
}  // namespace sio::test
