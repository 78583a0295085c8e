// websocket-echo: a plain WebSocket echo server at any path (text as text,
// binary as binary), for RFC 6455 conformance runs.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <sio/websocket.hpp>

#include "../common/signals.hpp"

int main(int argc, char** argv) {
  CLI::App app{"WebSocket echo server"};
  sio::ws::ServerOptions opts;
  app.add_option("--port", opts.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", opts.host, "address to listen on")->capture_default_str();
  app.add_option("--max-message", opts.max_message_size, "largest message in bytes (larger: close 1009)")
      ->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  sio::ws::Server server(opts);
  server.on_connection([](sio::ws::Connection& c) {
    c.on_message([&c](std::string_view data, bool binary) { c.send(data, binary); });
  });
  sio::apps::stop_on_signals([&server] { server.stop(); });
  std::printf("listening on http://%s:%u\n", opts.host.c_str(), server.port());
  std::fflush(stdout);
  server.run();
  return 0;
}
