// An Engine.IO session without a network: a FakeConnection records what the
// Socket.IO layer sends, and a Peer plays the client (feeds messages to the
// listener the acceptor returned, on the connection's FakeLoop).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapter/fake_loop.hpp"
#include "engine/connection.hpp"

namespace sio::test {

class FakeConnection final : public engine::Connection {
 public:
  FakeConnection(std::string sid, FakeLoop& loop, HttpRequest req)
      : sid_(std::move(sid)), loop_(loop), req_(std::make_shared<const HttpRequest>(std::move(req))) {}

  const std::string& id() const override { return sid_; }
  const SharedRequest& request() const override { return req_; }
  std::string_view transport_name() const override { return "websocket"; }
  engine::Loop& loop() override { return loop_; }
  void send(const engine::OutMessage& m) override {
    if (!closed_) sent.push_back(m);
  }
  bool writable() const override { return writable_; }
  // As the engine does: closing ends the session, and the listener hears
  // on_close(forced close) afterwards.
  void close() override {
    if (closed_) return;
    closed_ = true;
    ++close_calls;
    loop_.post([this] {
      if (on_closed) on_closed(engine::CloseReason::forced_close);
    });
  }
  bool closed() const override { return closed_; }

  std::vector<engine::OutMessage> sent;
  bool writable_ = true;
  int close_calls = 0;
  std::function<void(engine::CloseReason)> on_closed;

 private:
  std::string sid_;
  FakeLoop& loop_;
  SharedRequest req_;
  bool closed_ = false;
};

class Peer {
 public:
  Peer(engine::Acceptor& acceptor, FakeLoop& loop, std::string sid = "eio-sid", HttpRequest req = default_request())
      : loop_(loop), conn_(std::make_shared<FakeConnection>(std::move(sid), loop, std::move(req))) {
    conn_->on_closed = [this](engine::CloseReason r) { deliver_close(r); };
    loop_.enter([&] { listener_ = acceptor.on_open(conn_); });
  }
  ~Peer() { conn_->on_closed = nullptr; }

  static HttpRequest default_request() {
    return HttpRequest::Builder()
        .method("GET")
        .target("/socket.io/?EIO=4&transport=websocket&token=q")
        .header("Host", "localhost")
        .header("Origin", "http://example.com")
        .remote_address("127.0.0.1")
        .build();
  }

  // A text message (the Socket.IO packet, without Engine.IO's "4").
  void send(std::string_view packet) {
    loop_.enter([&] {
      if (listener_) listener_->on_message(packet, false);
    });
  }
  void send_binary(std::string_view bytes) {
    loop_.enter([&] {
      if (listener_) listener_->on_message(bytes, true);
    });
  }
  // The engine reports the end of the session.
  void drop(engine::CloseReason r) { loop_.enter([&] { deliver_close(r); }); }

  // What the server sent since the last take(): text packets without the "4",
  // binary messages as "<bin:bytes>".
  std::vector<std::string> take() {
    std::vector<std::string> out;
    for (const auto& m : conn_->sent)
      out.push_back(m.binary ? "<bin:" + std::string(m.payload()) + ">" : std::string(m.payload()));
    conn_->sent.clear();
    return out;
  }
  FakeConnection& conn() { return *conn_; }
  bool closed() const { return conn_->closed(); }
  bool session_over() const { return !listener_; }

 private:
  void deliver_close(engine::CloseReason r) {
    if (auto l = std::move(listener_)) l->on_close(r, engine::to_string(r));
  }
  FakeLoop& loop_;
  std::shared_ptr<FakeConnection> conn_;
  std::unique_ptr<engine::Listener> listener_;
};

}  // namespace sio::test
