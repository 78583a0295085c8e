// One node of a cluster: "chat" goes to every client of every node that
// shares the Redis, and "hello" is answered as by example-server.
// Usage: example-redis-server [PORT] [REDIS_URL]   (redis://127.0.0.1:6379)
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sio/redis.hpp>
#include <sio/server.hpp>

int main(int argc, char** argv) {
  const auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 3000);
  std::string error;
  auto redis = sio::redis_adapter({.url = argc > 2 ? argv[2] : "redis://127.0.0.1:6379"}, error);
  if (!redis) {
    std::fprintf(stderr, "example-redis-server: %s\n", error.c_str());
    return 2;
  }
  sio::Server io({.port = port, .threads = 1, .adapter = redis->factory});
  io.on_connection([&io](sio::Socket& socket) {
    socket.on("chat", [&io](sio::Event& ev) { io.emit("chat", ev.arg(0)); });
    socket.on("hello", [&socket](sio::Event& ev) {
      socket.emit("welcome", "a node of a cluster");
      ev.ack("hello, " + std::string(ev.arg(0).json().as_string()));
    });
  });
  std::printf("listening on http://127.0.0.1:%u\n", io.port());
  std::fflush(stdout);
  io.run();
}
