// A Socket.IO server: "hello" (name) is answered with an acknowledgement
// ("hello, <name>") after a "welcome" event to the sender.
// Usage: example-server [PORT]   (0: any free port; prints the one it got)
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sio/server.hpp>
#include <sio/version.hpp>

int main(int argc, char** argv) {
  const auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 3000);
  sio::Server io({.port = port, .threads = 1});
  io.on_connection([](sio::Socket& socket) {
    socket.on("hello", [&socket](sio::Event& ev) {
      std::string name(ev.arg(0).json().as_string());
      socket.emit("welcome", "socketio-cpp " SIO_VERSION_STRING);
      ev.ack("hello, " + name);
    });
  });
  std::printf("listening on http://127.0.0.1:%u\n", io.port());
  std::fflush(stdout);
  io.run();
}
