// SessionHost's end of a polling session closed by the server: it stays in
// its registry (lingering for the peer's next polls) only when the peer
// polls. The loop is never run: nothing here waits for a timer.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "net/session_host.hpp"

namespace sio::net {
namespace {

struct NullListener final : engine::Listener {
  void on_message(std::string_view, bool) override {}
  void on_close(engine::CloseReason, std::string_view) override {}
};

struct NullAcceptor final : engine::Acceptor {
  std::unique_ptr<engine::Listener> on_open(engine::ConnectionPtr) override {
    return std::make_unique<NullListener>();
  }
};

struct Fixture {
  EngineOptions opts;
  AsioLoop loop{0};
  SessionRegistry registry{opts};
  NullAcceptor acceptor;
  std::vector<PollReply> replies;

  // A polling handshake, as HttpConnection does it: the session opens and
  // the handshake's GET takes the open packet.
  std::shared_ptr<SessionHost> handshake() {
    auto req = std::make_shared<const HttpRequest>(HttpRequest::Builder().method("GET").target("/socket.io/?EIO=4&transport=polling").build());
    auto host = std::make_shared<SessionHost>(loop, registry, "s1", engine::TransportKind::polling, req, opts);
    registry.add(host);
    host->open(acceptor);
    host->on_poll_get([this](PollReply r) { replies.push_back(std::move(r)); });
    return host;
  }
  PollResponder responder() {
    return [this](PollReply r) { replies.push_back(std::move(r)); };
  }
};

TEST(SessionHost, NeverPolledSessionClosedByTheServerLeavesAtOnce) {
  Fixture f;
  auto host = f.handshake();
  f.loop.context().poll();  // the handshake's response goes out
  ASSERT_EQ(f.replies.size(), 1u);
  host->close();  // as the connect timeout does
  EXPECT_TRUE(host->closed());
  EXPECT_EQ(f.registry.size(), 0u);  // no linger: nobody polls for the close packet
}

TEST(SessionHost, PolledSessionClosedByTheServerLingersForTheNextPoll) {
  Fixture f;
  auto host = f.handshake();
  f.loop.context().poll();
  host->on_poll_get(f.responder());  // a GET waits
  host->send(engine::OutMessage::text("bye"));
  f.loop.context().poll();  // it takes the message
  ASSERT_EQ(f.replies.size(), 2u);
  host->send(engine::OutMessage::text("last"));
  host->close();
  EXPECT_EQ(f.registry.size(), 1u);  // lingering: "last" and the close packet wait
  host->on_poll_get(f.responder());
  f.loop.context().poll();
  host->on_poll_get(f.responder());
  f.loop.context().poll();
  ASSERT_EQ(f.replies.size(), 4u);
  EXPECT_EQ(f.replies[2].body, "4last");
  EXPECT_EQ(f.replies[3].body, "1");
  EXPECT_EQ(f.registry.size(), 0u);  // the close packet is taken: the linger ends
}

}  // namespace
}  // namespace sio::net
