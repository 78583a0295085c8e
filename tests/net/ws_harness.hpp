// Drives a server WsConnection over a real AF_UNIX socketpair on a real
// AsioLoop: the test plays the client on the other end with plain system
// calls, and runs the loop one handler at a time until a state is reached
// (bounded: a wait that runs out is a failure, never a sleep).
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "net/loop.hpp"
#include "net/ws_connection.hpp"
#include "wire/ws_frame.hpp"

namespace sio::net::test {

namespace ws = wire::ws;

// Appends what the non-blocking socket `fd` holds now to `in`; `eof` once its
// end (or an error) is met. Returns the bytes read.
inline std::size_t read_available(int fd, std::string& in, bool& eof) {
  char buf[64 * 1024];
  std::size_t total = 0;
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      in.append(buf, static_cast<std::size_t>(n));
      total += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) eof = true;
    return total;
  }
}

// What the server's handler saw.
struct Recorder final : WsConnection::Handler {
  std::vector<std::string> messages;
  bool closed = false;
  std::uint16_t code = 0;
  std::error_code ec;
  std::function<void(std::string_view)> on_message;
  void on_ws_message(std::string_view data, bool) override {
    messages.emplace_back(data);
    if (on_message) on_message(data);
  }
  void on_ws_closed(std::uint16_t c, std::error_code e) override {
    closed = true;
    code = c;
    ec = e;
  }
};

// The client's end of the pair: raw bytes out, server frames parsed in.
struct Peer {
  int fd = -1;
  std::string in;  // bytes read so far
  bool eof = false;
  ~Peer() {
    if (fd >= 0) ::close(fd);
  }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << "peer write: " << std::strerror(errno);
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Reads what is there now (non-blocking). Returns the bytes read.
  std::size_t read_available() { return test::read_available(fd, in, eof); }
};

// Frames a client sends (masked).
inline std::string client_frame(ws::Opcode op, std::string_view payload) {
  return ws::encode_frame<ws::Role::client>(op, payload, true, 0x0badf00d);
}

// Server frames, as a client parses them.
struct Frames {
  struct Frame {
    ws::Opcode op;
    std::string payload;
  };
  std::vector<Frame> frames;
  std::uint16_t close_code = 0;
  std::error_code error;
  void on_message(ws::Opcode op, std::string_view p) { frames.push_back({op, std::string(p)}); }
  void on_ping(std::string_view p) { frames.push_back({ws::Opcode::ping, std::string(p)}); }
  void on_pong(std::string_view p) { frames.push_back({ws::Opcode::pong, std::string(p)}); }
  void on_close(std::uint16_t code, std::string_view) {
    close_code = code;
    frames.push_back({ws::Opcode::close, {}});
  }
  // Parses all of `bytes` (whole frames expected: a server never sends a
  // partial one before closing).
  static Frames parse(std::string bytes) {
    Frames f;
    ws::Parser<ws::Role::client> parser(64u << 20);
    const std::size_t used = parser.consume(std::span<char>(bytes.data(), bytes.size()), f);
    f.error = parser.error();
    EXPECT_FALSE(parser.error()) << parser.error().message() << " at byte " << used;
    EXPECT_EQ(used, bytes.size()) << "a frame was cut off";
    return f;
  }
};

// A connection on `loop` whose other end is `peer`. `sndbuf`: the server
// end's send buffer (0: the system's default; small: its writes block after
// a few KiB the peer does not read).
inline std::shared_ptr<WsConnection> connect(AsioLoop& loop, Peer& peer, WsConnection::Limits limits = {},
                                             int sndbuf = 0) {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  if (sndbuf) EXPECT_EQ(::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf), 0);
  peer.fd = fds[1];
  boost::asio::ip::tcp::socket s(loop.context());
  s.assign(boost::asio::ip::tcp::v4(), fds[0]);
  return std::make_shared<WsConnection>(loop, std::move(s), limits);
}

inline constexpr int kSmallBuffer = 4096;        // the kernel rounds it up to its minimum
inline constexpr int kLargeBuffer = 4 << 20;     // capped by net.core.wmem_max

// Runs the loop's handlers one at a time until `done()` holds; false if it
// does not within `bound`.
template <class Pred>
bool run_until(AsioLoop& loop, Pred done, std::chrono::milliseconds bound = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    loop.context().run_one_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace sio::net::test
