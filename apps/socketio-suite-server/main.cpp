// socketio-suite-server: the server the Socket.IO v5 protocol test suite
// expects (socket.io docs/socket.io-protocol/v5-current.md, "Test suite"):
// pingInterval 300, pingTimeout 200, maxPayload 1e6, connectTimeout 1000,
// CORS for any origin; namespaces "/" and "/custom" send the auth payload
// back; "/" echoes "message" as "message-back" and acknowledges
// "message-with-ack" with its own arguments.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <sio/server.hpp>

#include "../common/signals.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Socket.IO v5 protocol test-suite server"};
  sio::ServerOptions opts;
  opts.host = "127.0.0.1";
  opts.port = 3000;
  opts.threads = 1;
  app.add_option("--port", opts.port, "TCP port on 127.0.0.1 (0: any free port)")->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  opts.engine.ping_interval = std::chrono::milliseconds(300);
  opts.engine.ping_timeout = std::chrono::milliseconds(200);
  opts.engine.max_http_buffer_size = 1'000'000;
  opts.engine.cors.enabled = true;  // origin "*"
  opts.connect_timeout = std::chrono::milliseconds(1000);

  sio::Server io(opts);
  io.on_connection([](sio::Socket& socket) {
    socket.emit("auth", socket.handshake().auth);
    socket.on("message", [&socket](sio::Event& ev) { socket.emit_args("message-back", ev.args()); });
    socket.on("message-with-ack", [](sio::Event& ev) { ev.ack_args(ev.args()); });
  });
  io.of("/custom").on_connection([](sio::Socket& socket) { socket.emit("auth", socket.handshake().auth); });

  sio::apps::stop_on_signals([&io] { io.stop(); });
  std::printf("listening on http://127.0.0.1:%u\n", io.port());
  std::fflush(stdout);
  io.run();
  return 0;
}
