// socketio-echo: on namespace "/", event "echo" goes back to its sender with
// the same arguments (and is acknowledged with them when the client asks),
// event "bcast" goes to every connected socket. Default options otherwise.
//
// --recovery turns connection state recovery on (socket.io's defaults), and
// adds what its tests drive: "join" (room), "to-room" (room, args...: emitted
// to that room), "set-data" (value: the socket's data()), "state" (acked with
// {id, recovered, rooms, data, middleware_runs}), "sockets" (acked with the
// ids of the connected sockets) and "server-disconnect".
#include <atomic>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <sio/log.hpp>
#include <sio/redis.hpp>
#include <sio/server.hpp>

#include "../common/memory.hpp"
#include "../common/signals.hpp"
#include "../common/tls.hpp"

int main(int argc, char** argv) {
  sio::apps::return_large_blocks_at_once();
  sio::apps::block_sighup();
  CLI::App app{"Socket.IO echo server"};
  sio::ServerOptions opts;
  opts.host = "127.0.0.1";
  opts.port = 3000;
  app.add_option("--port", opts.port, "TCP port on 127.0.0.1 (0: any free port)")->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops (0: hardware threads)")->capture_default_str();
  app.add_flag("--allow-eio3", opts.engine.allow_eio3,
               "also accept Engine.IO 3 clients (socket.io-client 2.x), spoken to in Socket.IO protocol 4");
  sio::SessionLimits& limits = opts.engine.limits;
  app.add_option("--max-connections", limits.max_sessions, "sessions open at once (0: no limit)")
      ->capture_default_str();
  app.add_option("--max-connections-per-ip", limits.max_sessions_per_address,
                 "sessions open at once per client address (0: no limit)")
      ->capture_default_str();
  app.add_option("--handshakes-per-ip-per-second", limits.handshakes_per_second,
                 "handshakes a second per client address, in bursts of --handshake-burst (0: no limit)")
      ->capture_default_str();
  app.add_option("--handshake-burst", limits.handshake_burst, "handshakes a client address may make at once")
      ->capture_default_str();
  app.add_option("--trusted-proxy", limits.trusted_proxies,
                 "a proxy whose X-Forwarded-For names the client address (repeatable)")
      ->allow_extra_args(false);
  std::string log_level = "info", log_format = "text";
  app.add_option("--log-level", log_level, "debug, info, warn, error or off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", log_format, "text, or json: one JSON object a line (with the connection's sid)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sio::apps::add_tls_options(app, opts.engine.tls);
  long request_timeout = 30000;
  app.add_option("--request-timeout", request_timeout,
                 "ms for a request (and a TLS handshake) to arrive whole before the connection is closed")
      ->capture_default_str();
  bool recovery = false;
  app.add_flag("--recovery", recovery, "connection state recovery, with socket.io's defaults");
  std::int64_t window_ms = 0;
  app.add_option("--recovery-window-ms", window_ms, "with --recovery: max_disconnection_duration (default 120000)");
  bool run_middlewares = false;
  app.add_flag("--recovery-run-middlewares", run_middlewares,
               "with --recovery: middlewares run for recovered sockets too (skip_middlewares false)");
  std::size_t max_packets = 0;
  app.add_option("--recovery-max-packets", max_packets, "with --recovery: max_stored_packets (default 100000)");
  std::string redis;
  app.add_option("--redis", redis, "join a cluster through Redis (redis://host:port): bcast reaches every node");
  CLI11_PARSE(app, argc, argv);
  sio::configure_logging({.level = *sio::parse_log_level(log_level), .format = *sio::parse_log_format(log_format)});
  opts.engine.request_timeout = std::chrono::milliseconds(request_timeout);
  if (!redis.empty()) {
    std::string error;
    auto r = sio::redis_adapter({.url = redis}, error);
    if (!r) {
      std::fprintf(stderr, "socketio-echo: --redis: %s\n", error.c_str());
      return 2;
    }
    opts.adapter = r->factory;
  }

  if (recovery) {
    auto& r = opts.connection_state_recovery;
    r.enabled = true;
    if (window_ms > 0) r.max_disconnection_duration = std::chrono::milliseconds(window_ms);
    r.skip_middlewares = !run_middlewares;
    if (max_packets > 0) r.max_stored_packets = max_packets;
  }

  auto server = sio::apps::make_server<sio::Server>("socketio-echo", opts);
  sio::Server& io = *server;

  std::atomic<std::uint64_t> middleware_runs{0};
  if (recovery) {
    io.use([&middleware_runs](sio::Socket&, sio::Next next) {
      ++middleware_runs;
      next();
    });
    io.on_connection([&io, &middleware_runs](sio::Socket& socket) {
      socket.on("join", [&socket](sio::Event& ev) {
        if (ev.arg(0).json().is_string()) socket.join(ev.arg(0).json().get_string());
        if (ev.wants_ack()) ev.ack(true);
      });
      socket.on("to-room", [&io](sio::Event& ev) {
        if (!ev.arg(0).json().is_string() || ev.size() < 2) return;
        sio::Args args(ev.args().begin() + 2, ev.args().end());
        const auto& event = ev.arg(1).json();
        io.to(ev.arg(0).json().get_string()).emit_args(event.is_string() ? event.get_string() : "room", std::move(args));
      });
      socket.on("set-data", [&socket](sio::Event& ev) {
        socket.data() = ev.arg(0).json();
        if (ev.wants_ack()) ev.ack(true);
      });
      socket.on("state", [&socket, &middleware_runs](sio::Event& ev) {
        boost::json::array rooms;
        for (const auto& r : socket.rooms()) rooms.emplace_back(r);
        ev.ack(boost::json::object{{"id", socket.id()},
                                   {"recovered", socket.recovered()},
                                   {"rooms", std::move(rooms)},
                                   {"data", socket.data()},
                                   {"middleware_runs", middleware_runs.load()}});
      });
      socket.on("server-disconnect", [&socket](sio::Event&) { socket.disconnect(); });
      socket.on("sockets", [&io](sio::Event& ev) {
        io.fetch_sockets([ack = ev.ack_handle()](std::error_code, std::vector<sio::RemoteSocket> all) mutable {
          boost::json::array ids;
          for (const auto& s : all) ids.emplace_back(s.id());
          ack(std::move(ids));
        });
      });
    });
  }
  io.on_connection([&io](sio::Socket& socket) {
    socket.on("echo", [&socket](sio::Event& ev) {
      if (ev.wants_ack()) ev.ack_args(ev.args());  // a copy only when the client asked for an ack
      socket.emit_args("echo", std::move(ev.args()));
    });
    socket.on("bcast", [&io](sio::Event& ev) { io.sockets().emit_args("bcast", std::move(ev.args())); });
  });

  sio::apps::stop_on_signals([&io] { io.stop(); });
  if (!opts.engine.tls.cert_file.empty()) sio::apps::reload_tls_on_sighup("socketio-echo", io);
  std::printf("listening on %s://127.0.0.1:%u\n", sio::apps::scheme(opts.engine.tls), io.port());
  std::fflush(stdout);
  io.run();
  return 0;
}
