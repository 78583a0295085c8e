// websocket-echo: a plain WebSocket echo server at any path (text as text,
// binary as binary), for RFC 6455 conformance runs.
#include <chrono>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <sio/websocket.hpp>

#include "../common/memory.hpp"
#include "../common/signals.hpp"

int main(int argc, char** argv) {
  sio::apps::return_large_blocks_at_once();
  CLI::App app{"WebSocket echo server"};
  sio::ws::ServerOptions opts;
  app.add_option("--port", opts.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", opts.host, "address to listen on")->capture_default_str();
  app.add_option("--max-message", opts.max_message_size, "largest message in bytes (larger: close 1009)")
      ->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops")->capture_default_str();
  app.add_option("--max-inbound-buffered", opts.max_inbound_buffered,
                 "bytes held for unfinished messages, all connections together (past it: close 1013; 0: no limit)")
      ->capture_default_str();
  // Timeouts in milliseconds (ServerOptions' defaults; 0 turns pings or the message limit off).
  auto request_ms = opts.request_timeout.count(), ping_interval_ms = opts.ping_interval.count(),
       ping_timeout_ms = opts.ping_timeout.count(), message_ms = opts.message_timeout.count();
  app.add_option("--request-timeout", request_ms, "ms for the upgrade request to arrive")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--ping-interval", ping_interval_ms, "ms of silence before a ping (0: no pings)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  app.add_option("--ping-timeout", ping_timeout_ms, "ms to answer a ping (else close 1001)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--message-timeout", message_ms, "ms for a message to arrive whole (else close 1008; 0: no limit)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  opts.request_timeout = std::chrono::milliseconds(request_ms);
  opts.ping_interval = std::chrono::milliseconds(ping_interval_ms);
  opts.ping_timeout = std::chrono::milliseconds(ping_timeout_ms);
  opts.message_timeout = std::chrono::milliseconds(message_ms);

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
