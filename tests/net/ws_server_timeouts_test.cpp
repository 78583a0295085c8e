// sio::ws::Server's timeouts, over real sockets with raw clients: a request
// that never ends (slowloris), a message that never ends, a silent peer and
// one that answers the pings. Timeouts are short options; every wait is
// bounded and waits for an outcome (a close, N pings), never for a duration.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <sio/websocket.hpp>

#include "wire/ws_frame.hpp"

namespace sio::ws {
namespace {

using namespace std::chrono_literals;
namespace wws = wire::ws;

constexpr auto kBound = 10s;  // the most any outcome may take

// A server on a free port, run on a thread of its own.
struct TestServer {
  explicit TestServer(ServerOptions o) : server((o.port = 0, std::move(o))) {
    server.on_connection([this](Connection& c) {
      c.on_message([&c](std::string_view data, bool binary) { c.send(data, binary); });
      c.on_close([this](std::uint16_t) { ++closed; });
    });
    runner = std::thread([this] { server.run(); });
  }
  ~TestServer() {
    server.stop();
    runner.join();
  }
  Server server;
  std::atomic<int> closed{0};  // connections whose on_close ran
  std::thread runner;
};

// A raw TCP client speaking just enough WebSocket.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send_raw(std::string_view bytes) { ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size())); }
  void send_frame(wws::Opcode op, std::string_view payload, bool fin = true) {
    send_raw(wws::encode_frame<wws::Role::client>(op, payload, fin));
  }

  // Sends the upgrade request; true when the 101 came back.
  bool handshake() {
    send_raw(
        "GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    while (in_.find("\r\n\r\n") == std::string::npos)
      if (!read_some()) return false;
    const auto end = in_.find("\r\n\r\n") + 4;
    const bool ok = in_.rfind("HTTP/1.1 101", 0) == 0;
    in_.erase(0, end);
    return ok;
  }

  // The next frame from the server, or nullopt on EOF (or after kBound).
  struct Frame {
    std::string kind;  // "text", "binary", "ping", "pong", "close"
    std::string payload;
    std::uint16_t code = 0;
  };
  std::optional<Frame> next_frame() {
    for (;;) {
      if (!frames_.empty()) {
        Frame f = std::move(frames_.front());
        frames_.erase(frames_.begin());
        return f;
      }
      if (!in_.empty()) {
        const std::size_t used = parser_.consume(std::span<char>(in_.data(), in_.size()), *this);
        in_.erase(0, used);
        if (!frames_.empty()) continue;
      }
      if (!read_some()) return std::nullopt;
    }
  }

  // True when the server closed the TCP connection (EOF or reset) within kBound.
  bool closed_by_server() {
    while (read_some()) in_.clear();
    return eof_;
  }

  // Parser events.
  void on_message(wws::Opcode op, std::string_view p) { frames_.push_back({op == wws::Opcode::text ? "text" : "binary", std::string(p)}); }
  void on_ping(std::string_view p) { frames_.push_back({"ping", std::string(p)}); }
  void on_pong(std::string_view p) { frames_.push_back({"pong", std::string(p)}); }
  void on_close(std::uint16_t code, std::string_view reason) {
    frames_.push_back({"close", std::string(reason), code});
    send_frame(wws::Opcode::close, wws::close_payload(code));  // as a client does: the server closes TCP then
  }

 private:
  // Reads what is there (waiting up to kBound); false on EOF, reset or timeout.
  bool read_some() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kBound).count())) <= 0) return false;
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string in_;
  wws::Parser<wws::Role::client> parser_{1u << 20};
  std::vector<Frame> frames_;
};

TEST(WsServerTimeouts, AnUnfinishedUpgradeRequestIsClosed) {
  TestServer s({.request_timeout = 50ms});
  RawClient slow(s.server.port());
  ASSERT_TRUE(slow.connected());
  slow.send_raw("GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr");  // and nothing more
  EXPECT_TRUE(slow.closed_by_server());
}

TEST(WsServerTimeouts, AnUnfinishedMessageIsDroppedWith1008) {
  TestServer s({.ping_interval = 0ms, .message_timeout = 100ms});
  RawClient c(s.server.port());
  ASSERT_TRUE(c.handshake());
  // A whole message is echoed...
  c.send_frame(wws::Opcode::text, "whole");
  auto f = c.next_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, "text");
  // ...one that starts and never ends closes the connection: a first
  // fragment, then a frame cut off (its header promises more).
  c.send_frame(wws::Opcode::text, "part", /*fin=*/false);
  c.send_raw(wws::encode_frame<wws::Role::client>(wws::Opcode::continuation, std::string(1000, 'x')).substr(0, 100));
  f = c.next_frame();
  ASSERT_TRUE(f) << "the connection stayed open";
  EXPECT_EQ(f->kind, "close");
  EXPECT_EQ(f->code, wws::close_code::policy_violation);
  EXPECT_TRUE(c.closed_by_server());
  const auto end = std::chrono::steady_clock::now() + kBound;
  while (s.closed.load() == 0 && std::chrono::steady_clock::now() < end) std::this_thread::yield();
  EXPECT_EQ(s.closed.load(), 1);  // the connection (and its partial message) is gone
}

TEST(WsServerTimeouts, ASilentPeerIsClosedOneThatAnswersPingsStays) {
  // ping_timeout leaves the answering thread ample time to answer.
  TestServer s({.ping_interval = 20ms, .ping_timeout = 500ms, .message_timeout = 0ms});
  RawClient answers(s.server.port()), silent(s.server.port());
  ASSERT_TRUE(answers.handshake());
  ASSERT_TRUE(silent.handshake());

  // One client answers every ping, on a thread of its own, until it has
  // answered two more after the silent one was closed.
  std::atomic<bool> silent_closed{false};
  std::atomic<int> pings{0};
  std::string ended;  // what interrupted the answering client, if anything
  std::thread answering([&] {
    int after_silent_closed = 0;
    while (after_silent_closed < 2) {
      auto f = answers.next_frame();
      if (!f || f->kind != "ping") {
        ended = f ? f->kind + " " + std::to_string(f->code) : "EOF";
        return;
      }
      answers.send_frame(wws::Opcode::pong, f->payload);
      ++pings;
      if (silent_closed) ++after_silent_closed;
    }
  });

  // The silent one is pinged, then closed with 1001.
  auto f = silent.next_frame();
  EXPECT_TRUE(f && f->kind == "ping") << "no ping came";
  f = silent.next_frame();
  EXPECT_TRUE(f) << "the silent connection stayed open";
  if (f) {
    EXPECT_EQ(f->kind, "close");
    EXPECT_EQ(f->code, wws::close_code::going_away);
    EXPECT_TRUE(silent.closed_by_server());
  }
  silent_closed = true;
  answering.join();

  // The answering one was pinged again and again (each ping after a pong
  // means the server kept it), outlived the silent one, and still echoes.
  EXPECT_EQ(ended, "");
  EXPECT_GE(pings.load(), 3);
  answers.send_frame(wws::Opcode::binary, "still here");
  do f = answers.next_frame();
  while (f && f->kind == "ping");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->kind, "binary");
  EXPECT_EQ(f->payload, "still here");
}

}  // namespace
}  // namespace sio::ws
