// The C++ client's WebSocket transport against a raw server played by the
// test over loopback TCP (non-blocking POSIX sockets, driven between the
// io_context's handlers): a server's pings never pile up pongs, and closing
// with output the server never reads ends within the close grace.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "net/client/ws_transport.hpp"
#include "net/ws_harness.hpp"
#include "wire/base64.hpp"
#include "wire/ws_frame.hpp"

namespace sio::net::client {
namespace {

namespace ws = wire::ws;
using std::chrono::milliseconds;

template <class Pred>
bool run_until(boost::asio::io_context& ctx, Pred done, milliseconds bound = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ctx.run_one_for(milliseconds(5));
  }
  return true;
}

// One accepted connection; the handshake answered by hand.
struct RawServer {
  int listen_fd = -1, fd = -1;
  std::uint16_t port = 0;
  std::string in;
  bool eof = false;

  RawServer() {
    listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(listen_fd, 4), 0);
    socklen_t len = sizeof a;
    ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~RawServer() {
    if (fd >= 0) ::close(fd);
    ::close(listen_fd);
  }
  bool accept() {
    if (fd < 0) fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK);
    return fd >= 0;
  }
  std::size_t read_available() { return test::read_available(fd, in, eof); }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << std::strerror(errno);
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // The 101 for the request in `in` (which it consumes).
  void answer_upgrade() {
    const auto end = in.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos);
    const std::string name = "Sec-WebSocket-Key: ";
    const auto k = in.find(name);
    ASSERT_NE(k, std::string::npos);
    const std::string key = in.substr(k + name.size(), in.find("\r\n", k) - k - name.size());
    in.erase(0, end + 4);
    const std::string concat = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(concat.data()), concat.size(), digest);
    std::string accept;
    wire::base64_append(accept, std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
    write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
          accept + "\r\n\r\n");
  }
};

// Client frames, as the server parses them.
struct ClientFrames {
  std::vector<std::pair<ws::Opcode, std::string>> frames;
  bool closed = false;
  void on_message(ws::Opcode op, std::string_view p) { frames.emplace_back(op, std::string(p)); }
  void on_ping(std::string_view p) { frames.emplace_back(ws::Opcode::ping, std::string(p)); }
  void on_pong(std::string_view p) { frames.emplace_back(ws::Opcode::pong, std::string(p)); }
  void on_close(std::uint16_t, std::string_view) { closed = true; }
};

struct Client {
  boost::asio::io_context ctx;
  RawServer server;
  bool opened = false, down = false;
  std::vector<std::string> data;
  std::shared_ptr<WsTransport> t;

  Client() {
    Endpoint ep;
    ep.host = "127.0.0.1";
    ep.port = server.port;
    TransportCallbacks cb;
    cb.on_open = [this] { opened = true; };
    cb.on_data = [this](std::string_view d, bool) { data.emplace_back(d); };
    cb.on_down = [this](bool, std::string) { down = true; };
    t = std::make_shared<WsTransport>(ctx, nullptr, ep, 1u << 20, std::move(cb), milliseconds(50));
    t->open("");
    EXPECT_TRUE(run_until(ctx, [&] { return server.accept(); }));
    EXPECT_TRUE(run_until(ctx, [&] {
      server.read_available();
      return server.in.find("\r\n\r\n") != std::string::npos;
    }));
    server.answer_upgrade();
    EXPECT_TRUE(run_until(ctx, [&] { return opened; }));
  }

  // Output the server will never read: a 32 MiB message, its write begun.
  void block_output() {
    t->send({{std::string(32u << 20, 'x'), true}});
    for (int i = 0; i < 20; ++i) ctx.poll();
  }
};

TEST(WsTransport, AServersPingsAreAnsweredByTheLatestPongOnly) {
  Client c;
  // 1,000 pings in one segment, then a message that ends the test.
  std::string burst;
  char payload[8];
  for (int i = 0; i < 1000; ++i) {
    std::snprintf(payload, sizeof payload, "%04d", i);
    burst += ws::encode_frame<ws::Role::server>(ws::Opcode::ping, payload);
  }
  burst += ws::encode_frame<ws::Role::server>(ws::Opcode::text, "that was all");
  c.server.write(burst);
  ASSERT_TRUE(run_until(c.ctx, [&] { return !c.data.empty(); }));
  bool done = false;
  c.t->close(true, [&] { done = true; });
  ClientFrames f;
  ws::Parser<ws::Role::server> parser;
  ASSERT_TRUE(run_until(c.ctx, [&] {
    c.server.read_available();
    const std::size_t used = parser.consume(std::span<char>(c.server.in.data(), c.server.in.size()), f);
    c.server.in.erase(0, used);
    return f.closed && done;
  }));
  ASSERT_FALSE(f.frames.empty());
  EXPECT_LT(f.frames.size(), 1000u) << "a pong for every ping";
  int last = -1;
  for (const auto& [op, p] : f.frames) {
    ASSERT_EQ(op, ws::Opcode::pong);
    EXPECT_GT(std::stoi(p), last);
    last = std::stoi(p);
  }
  EXPECT_EQ(f.frames.back().second, "0999");
}

TEST(WsTransport, TheServersCloseWithBlockedOutputEndsAfterTheGrace) {
  Client c;
  c.block_output();
  c.server.write(ws::encode_frame<ws::Role::server>(ws::Opcode::close, ws::close_payload(ws::close_code::normal)));
  ASSERT_TRUE(run_until(c.ctx, [&] { return c.down; }));
  std::weak_ptr<WsTransport> weak = c.t;
  c.t.reset();  // the link lets go: the pending write alone holds it
  EXPECT_TRUE(run_until(c.ctx, [&] { return weak.expired(); })) << "still held after the close grace";
}

TEST(WsTransport, OurGracefulCloseWithBlockedOutputFinishesAfterTheGrace) {
  Client c;
  c.block_output();
  bool done = false;
  c.t->close(true, [&] { done = true; });
  std::weak_ptr<WsTransport> weak = c.t;
  c.t.reset();
  EXPECT_TRUE(run_until(c.ctx, [&] { return done && weak.expired(); })) << "close never finished";
}

}  // namespace
}  // namespace sio::net::client
