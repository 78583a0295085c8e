// engineio-echo: an Engine.IO v4 server that sends every message back as it
// came (text as text, binary as binary). Both transports, upgrades on.
#include <csignal>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>
#include <sio/engine_io.hpp>

#include "../common/memory.hpp"
#include "../common/signals.hpp"
#include "../common/tls.hpp"

int main(int argc, char** argv) {
  sio::apps::return_large_blocks_at_once();
  sio::apps::block_sighup();
  CLI::App app{"Engine.IO v4 echo server"};
  sio::eio::ServerOptions opts;
  opts.engine.path = "/engine.io/";
  opts.port = 3000;
  opts.threads = 1;
  long ping_interval = 25000, ping_timeout = 20000;
  app.add_option("--port", opts.port, "TCP port on 127.0.0.1 (0: any free port)")->capture_default_str();
  app.add_option("--host", opts.host, "address to listen on")->capture_default_str();
  app.add_option("--path", opts.engine.path, "Engine.IO path")->capture_default_str();
  app.add_option("--ping-interval", ping_interval, "ms between pings")->capture_default_str();
  app.add_option("--ping-timeout", ping_timeout, "ms to wait for a pong")->capture_default_str();
  app.add_option("--max-payload", opts.engine.max_http_buffer_size, "largest message/payload in bytes")
      ->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops")->capture_default_str();
  app.add_option("--max-inbound-buffered", opts.engine.max_inbound_buffered,
                 "server-wide bytes of request bodies held while read (0: no limit)")
      ->capture_default_str();
  sio::apps::add_tls_options(app, opts.engine.tls);
  CLI11_PARSE(app, argc, argv);
  opts.engine.ping_interval = std::chrono::milliseconds(ping_interval);
  opts.engine.ping_timeout = std::chrono::milliseconds(ping_timeout);

  auto owned = sio::apps::make_server<sio::eio::Server>("engineio-echo", opts);
  sio::eio::Server& server = *owned;
  server.on_connection([](sio::eio::Socket& s) {
    s.on_message([&s](std::string_view data, bool binary) { s.send(data, binary); });
  });
  sio::apps::stop_on_signals([&server] { server.stop(); });
  if (!opts.engine.tls.cert_file.empty()) sio::apps::reload_tls_on_sighup("engineio-echo", server);
  std::printf("listening on %s://%s:%u\n", sio::apps::scheme(opts.engine.tls), opts.host.c_str(), server.port());
  std::fflush(stdout);
  server.run();
  return 0;
}
