// Listeners at the process's descriptor limit: accept() fails with EMFILE for
// every connection waiting in the backlog. The listener must neither retry in
// a busy loop nor leave those connections hanging, and must serve again once
// descriptors free up. The limit is lowered in this process (each ctest case
// runs in a process of its own) and restored before the test ends.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <boost/asio/write.hpp>

#include "net/listener.hpp"
#include "net/loop.hpp"

namespace sio::net {
namespace {

using namespace std::chrono_literals;

// Reads until EOF, a reset or `limit`; what arrived, or nullopt when the
// connection stayed open.
std::optional<std::string> read_to_end(int fd, std::chrono::milliseconds limit = 10s) {
  std::string got;
  const auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left <= 0ms) return std::nullopt;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      got.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return got;  // EOF or reset
  }
}

int new_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(fd, 0);
  return fd;
}

bool connect_to(int fd, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

// Takes every free descriptor under a lowered soft limit; gives them (and
// the limit) back on release() or destruction.
class DescriptorFill {
 public:
  DescriptorFill() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    const int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // the lowest free descriptor
    ::close(probe);
    // Room for what is open now; then take what is left.
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(highest_open() + 1);
    ok_ = probe >= 0 && ::setrlimit(RLIMIT_NOFILE, &low) == 0;
    for (;;) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      fds_.push_back(fd);
    }
    ok_ = ok_ && errno == EMFILE;
  }
  ~DescriptorFill() { release(); }
  bool ok() const { return ok_; }
  void release() {
    for (int fd : fds_) ::close(fd);
    fds_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  static int highest_open() {
    int high = 0;
    for (int fd = 0; fd < 65536; ++fd)
      if (::fcntl(fd, F_GETFD) != -1) high = fd;
    return high;
  }
  rlimit saved_{};
  std::vector<int> fds_;
  bool ok_ = false;
};

// One loop listening on a free port, run on a thread of its own; each
// connection gets "served", then is closed.
struct Server {
  Server() {
    loops.push_back(std::make_unique<AsioLoop>(0));
    listeners = std::make_unique<Listeners>(loops, "127.0.0.1", 0);
    listeners->start([](std::size_t, boost::asio::ip::tcp::socket s, const boost::asio::ip::tcp::endpoint&) {
      boost::system::error_code ec;
      boost::asio::write(s, boost::asio::buffer("served", 6), ec);
    });
    runner = std::thread([this] { run_loops(loops); });
  }
  ~Server() {
    loops[0]->post([this] {
      listeners->close(0);
      loops[0]->stop();
    });
    runner.join();
  }
  std::vector<std::unique_ptr<AsioLoop>> loops;
  std::unique_ptr<Listeners> listeners;
  std::thread runner;
};

TEST(Listeners, AtTheDescriptorLimitRefusesWithoutSpinningThenServesAgain) {
  Server server;
  Listeners& listeners = *server.listeners;
  const auto& counters = listeners.counters();

  // Client sockets made now: at the limit, connecting needs no descriptor.
  constexpr int kRefused = 3;
  std::vector<int> early;
  for (int k = 0; k < kRefused; ++k) early.push_back(new_socket());

  DescriptorFill fill;
  ASSERT_TRUE(fill.ok());
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < kRefused; ++k) {
    ASSERT_TRUE(connect_to(early[k], listeners.port()));
    // The connection is not left hanging in the backlog: it is closed.
    const auto got = read_to_end(early[k]);
    ASSERT_TRUE(got.has_value()) << "connection " << k << " left waiting; accept failed "
                                 << counters.failed.load() << " times";
    EXPECT_EQ(*got, "");
  }
  // No retrying in a loop: accept() is tried again only when its backoff
  // (10 ms, doubling to 1 s) ends, and Linux fails it with EMFILE at the
  // limit whether or not a connection waits (the descriptor is taken before
  // the backlog is looked at). So the failures are bounded by the backoff
  // steps that fit in the time this took, however slow the machine: a
  // spinning accept would fail thousands of times.
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto steps = static_cast<std::uint64_t>(2 + std::log2(ms / 10 + 1) + ms / 1000);
  EXPECT_GE(counters.failed.load(), 1u);
  EXPECT_LE(counters.failed.load(), steps) << "in " << ms << " ms";
  EXPECT_EQ(counters.refused.load(), static_cast<std::uint64_t>(kRefused));
  EXPECT_EQ(counters.accepted.load(), 0u);

  fill.release();
  // Served again. (A connection that came while the last refusing pass was
  // still running was refused: the next one is served.)
  std::string reply;
  for (int attempt = 0; attempt < 3 && reply != "served"; ++attempt) {
    const int late = new_socket();
    ASSERT_TRUE(connect_to(late, listeners.port()));
    reply = read_to_end(late).value_or("(still open)");
    ::close(late);
  }
  EXPECT_EQ(reply, "served");
  EXPECT_EQ(counters.accepted.load(), 1u);

  for (int fd : early) ::close(fd);
}

}  // namespace
}  // namespace sio::net
