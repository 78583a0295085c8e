// socketio-test-server: the server of the Socket.IO interop tests
// (tests/interop/socketio). Namespaces:
//   "/"         the hooks (see hooks.cpp)
//   "/custom"   the hooks; sends "auth" with the CONNECT payload on connection
//   "/admin"    refuses a CONNECT whose auth has no token "secret"
//                 (CONNECT_ERROR "not authorized", data {"code": 401})
//   "/dyn-<n>"  dynamic namespaces (a parent matching ^/dyn-\d+$), the hooks,
//                 "hello" with the namespace's name on connection
#include <cstdio>

#include <CLI/CLI.hpp>
#include <sio/server.hpp>

#include "../common/signals.hpp"
#include "hooks.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Socket.IO server for the interop tests"};
  sio::ServerOptions opts;
  opts.host = "127.0.0.1";
  opts.port = 0;
  opts.threads = 1;
  long ping_interval = 25000, ping_timeout = 20000, connect_timeout = 45000;
  app.add_option("--port", opts.port, "TCP port on 127.0.0.1 (0: any free port)")->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops")->capture_default_str();
  app.add_option("--ping-interval", ping_interval, "ms between pings")->capture_default_str();
  app.add_option("--ping-timeout", ping_timeout, "ms to wait for a pong")->capture_default_str();
  app.add_option("--connect-timeout", connect_timeout, "ms to wait for a namespace CONNECT")->capture_default_str();
  app.add_flag("--allow-eio3", opts.engine.allow_eio3, "also accept Engine.IO 3 clients (socket.io-client 2.x)");
  CLI11_PARSE(app, argc, argv);
  opts.engine.ping_interval = std::chrono::milliseconds(ping_interval);
  opts.engine.ping_timeout = std::chrono::milliseconds(ping_timeout);
  opts.connect_timeout = std::chrono::milliseconds(connect_timeout);

  sio::Server io(opts);
  sio::apps::install_hooks(io, io.sockets());

  auto& custom = io.of("/custom");
  custom.on_connection([](sio::Socket& s) { s.emit("auth", s.handshake().auth); });
  sio::apps::install_hooks(io, custom);

  auto& admin = io.of("/admin");
  admin.use([](sio::Socket& s, sio::Next next) {
    const auto* token = s.handshake().auth.if_contains("token");
    if (token && token->is_string() && token->get_string() == "secret") {
      next();
    } else {
      next(sio::Error{"not authorized", boost::json::object{{"code", 401}}});
    }
  });
  admin.on_connection([](sio::Socket& s) { s.emit("welcome", s.nsp().name()); });

  auto& dynamic = io.of(sio::namespace_regex(R"(^/dyn-\d+$)"));
  dynamic.on_connection([](sio::Socket& s) { s.emit("hello", s.nsp().name()); });

  sio::apps::stop_on_signals([&io] { io.stop(); });
  std::printf("listening on http://127.0.0.1:%u\n", io.port());
  std::fflush(stdout);
  io.run();
  return 0;
}
