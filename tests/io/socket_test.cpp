// A socket's events, acknowledgements both ways, middlewares, volatile
// emits, outgoing listeners, and leaving a namespace.
#include <gtest/gtest.h>

#include "io/io_fixture.hpp"

namespace sio::test {
namespace {

struct Sockets : IoTest {
  Socket* socket = nullptr;
  std::vector<DisconnectReason> reasons;
  std::unique_ptr<Peer> peer;  // last: its sockets' handlers use the members above

  // Connects a peer to "/" with `setup` as the connection handler.
  void start(std::function<void(Socket&)> setup = {}) {
    of("/").on_connection([this, setup](Socket& s) {
      socket = &s;
      s.on_disconnect([this](DisconnectReason r) { reasons.push_back(r); });
      if (setup) setup(s);
    });
    peer = std::make_unique<Peer>(core, l0);
    ASSERT_FALSE(connect(*peer).empty());
  }
  template <class F>
  void on_loop(F&& f) {
    l0.enter(std::forward<F>(f));
  }
};

TEST_F(Sockets, EventsWithSeveralArgumentsReachTheirListeners) {
  std::vector<std::string> got;
  start([&](Socket& s) {
    s.on("message", [&](Event& ev) {
      got.push_back(ev.name() + ":" + std::to_string(ev.size()));
      ev.socket().emit_args("message-back", ev.args());
    });
  });
  peer->send(R"(2["message",1,"2",{"3":[true]}])");
  EXPECT_EQ(got, (std::vector<std::string>{"message:3"}));
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["message-back",1,"2",{"3":[true]}])"}));
  peer->send(R"(2["unheard"])");  // no listener: nothing happens
  EXPECT_TRUE(peer->take().empty());
}

TEST_F(Sockets, BinaryAttachmentsComeBackAsTheyCame) {
  start([](Socket& s) { s.on("message", [&s](Event& ev) { s.emit_args("message-back", ev.args()); }); });
  peer->send(R"(52-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  peer->send_binary("\x01\x02\x03");
  EXPECT_TRUE(peer->take().empty());  // still waiting for the second attachment
  peer->send_binary("\x04\x05\x06");
  EXPECT_EQ(peer->take(), (std::vector<std::string>{
                              R"(52-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])",
                              "<bin:\x01\x02\x03>", "<bin:\x04\x05\x06>"}));
}

TEST_F(Sockets, ClientAsksForAnAck) {
  start([](Socket& s) {
    s.on("message-with-ack", [](Event& ev) {
      EXPECT_TRUE(ev.wants_ack());
      ev.ack_args(ev.args());
      ev.ack("twice");  // only the first answer goes out
      EXPECT_FALSE(ev.wants_ack());
    });
  });
  peer->send(R"(2456["message-with-ack",1,"2",{"3":[false]}])");
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(3456[1,"2",{"3":[false]}])"}));
  // with attachments: BINARY_ACK
  peer->send(R"(52-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  peer->send_binary("a");
  peer->send_binary("b");
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(62-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])",
                                                    "<bin:a>", "<bin:b>"}));
}

TEST_F(Sockets, AnAckHandleAnswersLaterFromTheLoop) {
  Ack later;
  start([&](Socket& s) { s.on("slow", [&](Event& ev) { later = ev.ack_handle(); }); });
  peer->send(R"(27["slow"])");
  EXPECT_TRUE(peer->take().empty());
  later("done");  // from outside the loop: posted to it
  EXPECT_TRUE(peer->take().empty());
  l0.run();
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(37["done"])"}));
}

TEST_F(Sockets, ServerAsksForAnAck) {
  start();
  std::vector<std::string> answers;
  on_loop([&] {
    socket->emit("question", 42, [&](std::error_code ec, Args reply) {
      answers.push_back(ec ? ec.message() : std::string(reply.at(0).json().as_string()));
    });
  });
  auto out = peer->take();
  ASSERT_EQ(out.size(), 1u);
  const std::string id = out[0].substr(1, out[0].find('[') - 1);
  EXPECT_EQ(out[0], "2" + id + R"(["question",42])");
  peer->send("3" + id + R"(["yes"])");
  peer->send("3" + id + R"(["again"])");  // a second answer is ignored
  EXPECT_EQ(answers, (std::vector<std::string>{"yes"}));
}

TEST_F(Sockets, AckTimeout) {
  start();
  std::vector<std::error_code> results;
  on_loop([&] {
    socket->timeout(std::chrono::milliseconds(500)).emit("q", [&](std::error_code ec, Args) { results.push_back(ec); });
  });
  const std::string sent = peer->take().at(0);
  l0.advance(std::chrono::milliseconds(499));
  EXPECT_TRUE(results.empty());
  l0.advance(std::chrono::milliseconds(1));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0], errc::sio_ack_timeout);
  peer->send("3" + sent.substr(1, sent.find('[') - 1) + "[]");  // too late: ignored
  EXPECT_EQ(results.size(), 1u);
}

TEST_F(Sockets, PendingAcksFailWhenTheSocketLeaves) {
  start();
  std::vector<std::error_code> results;
  on_loop([&] { socket->emit("q", [&](std::error_code ec, Args) { results.push_back(ec); }); });
  peer->send("1");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0], errc::sio_not_connected);
}

TEST_F(Sockets, BinaryArgumentsTopLevelAndNested) {
  start();
  on_loop([&] {
    PayloadBuilder b;
    boost::json::object o{{"name", "f"}, {"data", b.add(Binary{9, 8})}};
    socket->emit("files", Binary{1}, b.build(std::move(o)));
  });
  EXPECT_EQ(peer->take(),
            (std::vector<std::string>{
                R"(52-["files",{"_placeholder":true,"num":0},{"name":"f","data":{"_placeholder":true,"num":1}}])",
                "<bin:\x01>", "<bin:\x09\x08>"}));
}

TEST_F(Sockets, OnceOffAndAnyListeners) {
  std::vector<std::string> log;
  ListenerId keep = 0, drop = 0, any = 0;
  start([&](Socket& s) {
    s.once("e", [&](Event&) { log.push_back("once"); });
    keep = s.on("e", [&](Event&) { log.push_back("keep"); });
    drop = s.on("e", [&](Event&) { log.push_back("drop"); });
    any = s.on_any([&](Event& ev) { log.push_back("any:" + ev.name()); });
  });
  peer->send(R"(2["e"])");
  EXPECT_EQ(log, (std::vector<std::string>{"any:e", "once", "keep", "drop"}));
  log.clear();
  on_loop([&] { socket->off("e", drop); });
  peer->send(R"(2["e"])");
  EXPECT_EQ(log, (std::vector<std::string>{"any:e", "keep"}));
  log.clear();
  on_loop([&] {
    socket->off("e");
    socket->off_any(any);
  });
  peer->send(R"(2["e"])");
  EXPECT_TRUE(log.empty());
  (void)keep;
}

TEST_F(Sockets, NumericEventNames) {
  std::vector<std::string> got;
  start([&](Socket& s) { s.on("7", [&](Event& ev) { got.push_back(ev.name()); }); });
  peer->send(R"(2[7])");
  EXPECT_EQ(got, (std::vector<std::string>{"7"}));
}

TEST_F(Sockets, SocketMiddlewaresSeeEveryEventAndMayStopIt) {
  std::vector<std::string> log;
  start([&](Socket& s) {
    s.use([&](Event& ev, Next next) {
      log.push_back("mw:" + ev.name());
      if (ev.name() == "forbidden") {
        next(Error{"no", nullptr});
      } else {
        ev.args().push_back("added");
        next();
      }
    });
    s.on("ok", [&](Event& ev) { log.push_back("ok:" + std::to_string(ev.size())); });
    s.on("forbidden", [&](Event&) { log.push_back("forbidden"); });
    s.on_error([&](const Error& e) { log.push_back("error:" + e.message); });
  });
  peer->send(R"(2["ok"])");
  peer->send(R"(2["forbidden"])");
  EXPECT_EQ(log, (std::vector<std::string>{"mw:ok", "ok:1", "mw:forbidden", "error:no"}));
}

// sio-chat's flood control: a middleware tells the client, then closes it.
TEST_F(Sockets, AMiddlewareMayEmitThenDisconnectWithClose) {
  std::vector<std::string> log;
  start([&](Socket& s) {
    s.use([&](Event& ev, Next next) {
      s.emit("kicked", "flood");
      s.disconnect(true);
      next(Error{"flood", nullptr});
    });
    s.on("e", [&](Event&) { log.push_back("e"); });
    s.on_error([&](const Error& e) { log.push_back("error:" + e.message); });
  });
  peer->send(R"(2["e"])");
  peer->send(R"(2["e"])");  // after the close: ignored
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["kicked","flood"])", "1"}));
  EXPECT_TRUE(peer->closed());
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::server_namespace_disconnect}));
  EXPECT_TRUE(log.empty());  // the socket's handlers went with it
}

TEST_F(Sockets, VolatileEmitsAreDroppedWhenNotWritable) {
  start();
  peer->conn().writable_ = false;
  on_loop([&] {
    socket->volatile_().emit("v", 1);
    socket->emit("n", 2);
  });
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["n",2])"}));
  peer->conn().writable_ = true;
  on_loop([&] { socket->volatile_().compress(false).emit("v", 3); });
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["v",3])"}));
}

// The compress flag goes down to the engine with each message (and each
// binary attachment): polling compresses a response only when one allows it.
TEST_F(Sockets, TheCompressFlagReachesTheEngine) {
  start();
  peer->take();
  on_loop([&] {
    socket->emit("on", 1);
    socket->compress(false).emit("off", Binary{1, 2});
  });
  const auto& sent = peer->conn().sent;
  ASSERT_EQ(sent.size(), 3u);  // "on"; "off" and its attachment
  EXPECT_TRUE(sent[0].compress);
  EXPECT_FALSE(sent[1].compress);
  EXPECT_FALSE(sent[2].compress);
  EXPECT_TRUE(sent[2].binary);
}

TEST_F(Sockets, OutgoingListenersSeeEmits) {
  std::vector<std::string> out;
  start([&](Socket& s) {
    s.on_any_outgoing([&](std::string_view ev, const Args& args) { out.push_back(std::string(ev) + ":" + std::to_string(args.size())); });
  });
  on_loop([&] { socket->emit("a", 1, 2); });
  EXPECT_EQ(out, (std::vector<std::string>{"a:2"}));
}

TEST_F(Sockets, ReservedNamesCannotBeEmitted) {
  start();
  on_loop([&] {
    EXPECT_THROW(socket->emit("disconnect"), std::invalid_argument);
    EXPECT_THROW(socket->emit("connect"), std::invalid_argument);
  });
}

TEST_F(Sockets, EmitFromAnotherThreadRunsOnTheLoop) {
  start();
  socket->emit("later", 1);  // not on l0: posted there
  EXPECT_TRUE(peer->take().empty());
  l0.run();
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["later",1])"}));
}

TEST_F(Sockets, JoinAndLeaveFromAnotherThreadArePosted) {
  start();
  socket->join("later");
  std::set<std::string> rooms;
  on_loop([&] { rooms = socket->rooms(); });
  EXPECT_EQ(rooms.count("later"), 0u);
  l0.run();
  on_loop([&] { rooms = socket->rooms(); });
  EXPECT_EQ(rooms.count("later"), 1u);
  socket->leave("later");
  l0.run();
  on_loop([&] { rooms = socket->rooms(); });
  EXPECT_EQ(rooms, (std::set<std::string>{socket->id()}));
}

TEST_F(Sockets, LeavingItsOwnRoomAndComingBack) {
  start();
  const std::string id = socket->id();
  std::set<std::string> rooms;
  on_loop([&] {
    socket->join("r");
    socket->leave(id);
    rooms = socket->rooms();
  });
  EXPECT_EQ(rooms, (std::set<std::string>{"r"}));
  of("/").to(id).emit("to-id");
  run();
  EXPECT_TRUE(peer->take().empty());
  on_loop([&] { socket->broadcast().emit("self"); });  // except(id) no longer leaves it out (as socket.io)
  run();
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["self"])"}));
  on_loop([&] {
    socket->join(id);
    rooms = socket->rooms();
  });
  EXPECT_EQ(rooms, (std::set<std::string>{id, "r"}));
  of("/").to(id).emit("to-id");
  on_loop([&] { socket->broadcast().emit("not-self"); });
  run();
  EXPECT_EQ(peer->take(), (std::vector<std::string>{R"(2["to-id"])"}));
}

TEST_F(Sockets, ListenersAddedOrRemovedWhileCalled) {
  std::vector<std::string> log;
  ListenerId second = 0;
  start([&](Socket& s) {
    s.on("e", [&](Event&) {
      log.push_back("first");
      socket->off("e", second);                                    // still called this round
      socket->on("e", [&](Event&) { log.push_back("added"); });  // from the next round
    });
    second = s.on("e", [&](Event&) { log.push_back("second"); });
    s.on("other", [&](Event&) { log.push_back("other"); });
  });
  peer->send(R"(2["e"])");
  EXPECT_EQ(log, (std::vector<std::string>{"first", "second"}));
  log.clear();
  peer->send(R"(2["e"])");
  EXPECT_EQ(log, (std::vector<std::string>{"first", "added"}));
  log.clear();
  on_loop([&] { socket->off("e"); });
  peer->send(R"(2["e"])");
  peer->send(R"(2["other"])");
  EXPECT_EQ(log, (std::vector<std::string>{"other"}));
}

TEST_F(Sockets, AListenerMayRemoveItselfAndDisconnect) {
  std::vector<std::string> log;
  ListenerId self_id = 0;
  start([&](Socket& s) {
    self_id = s.on("e", [&, token = std::string(40, 'x')](Event&) {
      socket->off("e", self_id);  // its own storage stays alive until it returns
      socket->disconnect();
      log.push_back("done " + token.substr(0, 1));
    });
  });
  peer->send(R"(2["e"])");
  EXPECT_EQ(log, (std::vector<std::string>{"done x"}));
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::server_namespace_disconnect}));
}

TEST_F(Sockets, ServerNamespaceDisconnect) {
  std::set<std::string> rooms_while_disconnecting;
  start([&](Socket& s) {
    s.join("r");
    s.on_disconnecting([&](DisconnectReason) { rooms_while_disconnecting = s.rooms(); });
  });
  const std::string id = socket->id();
  on_loop([&] { socket->disconnect(); });
  EXPECT_EQ(peer->take(), (std::vector<std::string>{"1"}));
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::server_namespace_disconnect}));
  EXPECT_EQ(rooms_while_disconnecting, (std::set<std::string>{id, "r"}));
  EXPECT_FALSE(peer->closed());
}

TEST_F(Sockets, DisconnectWithCloseLeavesEveryNamespace) {
  of("/b");
  start();
  connect(*peer, "/b");
  on_loop([&] { socket->disconnect(true); });
  EXPECT_EQ(peer->take(), (std::vector<std::string>{"1", "1/b,"}));
  EXPECT_TRUE(peer->closed());
  EXPECT_EQ(reasons, (std::vector<DisconnectReason>{DisconnectReason::server_namespace_disconnect}));
}

TEST_F(Sockets, HandlersAreReleasedWithTheSocket) {
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> weak = token;
  start([token = std::move(token)](Socket& s) { s.on("e", [token](Event&) {}); });
  const long with_socket = weak.use_count();  // the connection handler's copy and the listener's
  peer->send("1");
  EXPECT_EQ(weak.use_count(), with_socket - 1);  // the listener went with the socket
}

}  // namespace
}  // namespace sio::test
