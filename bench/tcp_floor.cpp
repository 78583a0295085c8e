// tcp_floor: the latency floor of the machine for the "rate" comparison. A
// trivial echo server (one process, epoll) and a client (another process)
// exchange 64-byte messages over loopback TCP at a fixed rate, each side
// sleeping in epoll_wait between messages, as a Socket.IO server and
// sio-bench do at 5,000 events/s. No server can answer faster than this:
// what remains is waking two sleeping processes and the kernel's TCP path
// (expensive on virtual machines, where waking a CPU is a hypervisor trip).
//
//   build/bin/tcp_floor [--rate 5000] [--count 20000] [--server-cpu 0] [--client-cpu 1]
//   -> {"rate":5000,"p50_us":68.2,"p90_us":97.0,"p99_us":385.6}
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void pin(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

int watch(int fd) {
  const int ep = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  return ep;
}

// The echo server: everything read is written back.
[[noreturn]] void serve(int listener, int cpu) {
  pin(cpu);
  const int c = accept(listener, nullptr, nullptr);
  const int one = 1;
  setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int ep = watch(c);
  char buf[4096];
  for (;;) {
    epoll_event e{};
    if (epoll_wait(ep, &e, 1, -1) < 1) continue;
    const ssize_t n = read(c, buf, sizeof buf);
    if (n <= 0) _exit(0);
    if (write(c, buf, static_cast<std::size_t>(n)) != n) _exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  double rate = 5000;       // messages per second, as the comparison's rate run
  int count = 20000;        // messages measured
  int server_cpu = 0, client_cpu = 1;  // as bench/compare.sh pins servers and sio-bench
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--rate") rate = std::atof(argv[i + 1]);
    else if (k == "--count") count = std::atoi(argv[i + 1]);
    else if (k == "--server-cpu") server_cpu = std::atoi(argv[i + 1]);
    else if (k == "--client-cpu") client_cpu = std::atoi(argv[i + 1]);
  }
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener, 1) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("listen");
    return 2;
  }
  const pid_t server = fork();
  if (server == 0) serve(listener, server_cpu);

  pin(client_cpu);
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    return 2;
  }
  const int one = 1;
  setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int ep = watch(s);
  char msg[64];
  std::memset(msg, 'x', sizeof msg);
  char buf[4096];
  std::vector<long long> rtt;
  rtt.reserve(static_cast<std::size_t>(count));
  const auto gap = static_cast<long long>(1e9 / rate);
  long long next = now_ns();
  for (int i = 0; i < count; ++i) {
    next += gap;
    for (long long t = now_ns(); t < next; t = now_ns()) std::this_thread::sleep_for(std::chrono::nanoseconds(next - t));
    const long long t0 = now_ns();
    if (write(s, msg, sizeof msg) != static_cast<ssize_t>(sizeof msg)) return 1;
    for (std::size_t got = 0; got < sizeof msg;) {
      epoll_event e{};
      if (epoll_wait(ep, &e, 1, -1) < 1) continue;
      const ssize_t n = read(s, buf, sizeof buf);
      if (n <= 0) return 1;
      got += static_cast<std::size_t>(n);
    }
    rtt.push_back(now_ns() - t0);
  }
  close(s);
  waitpid(server, nullptr, 0);
  std::sort(rtt.begin(), rtt.end());
  auto q = [&](double p) { return static_cast<double>(rtt[static_cast<std::size_t>(p * (rtt.size() - 1))]) / 1e3; };
  std::printf("{\"rate\":%.0f,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f}\n", rate, q(0.5), q(0.9), q(0.99));
  return 0;
}
