// A Socket.IO client: emits "hello" with an acknowledgement, prints the
// server's "welcome" event and the answer, then closes.
// Usage: example-client URL   (exit status 0 when both arrived)
#include <chrono>
#include <iostream>
#include <string>

#include <sio/client.hpp>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  if (argc < 2) {
    std::cerr << "usage: example-client URL\n";
    return 2;
  }
  sio::Client client(argv[1], {.reconnection = false});
  auto& socket = client.socket();
  bool welcomed = false;
  bool acknowledged = false;
  socket.on("welcome", [&](sio::ClientEvent& ev) {
    std::cout << "event welcome: " << ev.arg(0).json() << "\n";
    welcomed = true;
  });
  socket.on_connect_error([&](const sio::ConnectError& e) {
    std::cerr << "connect error: " << e.message << "\n";
    client.close();
  });
  socket.emit_with_ack("hello", {"example"}, 5s, [&](sio::AckResult r) {
    if (r) {
      std::cout << "ack: " << r.args.at(0).json() << "\n";
      acknowledged = true;
    } else {
      std::cerr << "no ack: " << r.error.message() << "\n";
    }
    client.close();
  });
  client.run();  // until close()
  return welcomed && acknowledged ? 0 : 1;
}
