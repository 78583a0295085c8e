// sio-chat: the guide's real-time chat on socketio-cpp. Serves the page (web/)
// and the official socket.io-client browser bundle, and speaks the protocol of
// PROTOCOL.md on the built-in in-memory adapter.
//
//   build/bin/sio-chat                 # then open http://127.0.0.1:3000
//   build/bin/sio-chat --help
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <sio/server.hpp>

#include "../common/memory.hpp"
#include "../common/signals.hpp"
#include "../common/tls.hpp"
#include "adapter_hook.hpp"
#include "chat_server.hpp"
#include "http_hook.hpp"
#include "locate.hpp"
#include "log.hpp"
#include "static_files.hpp"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string host = "127.0.0.1";  // loopback only; --host 0.0.0.0 to share on a network
  std::uint16_t port = 3000;       // 0: any free port
  std::size_t history = 100;       // messages kept per room, shown on joining
  std::size_t max_upload = 1u << 20;  // 1 MB: largest image or file
  std::string log_level = "info";
  std::string log_format = "text";
  std::size_t threads = 0;         // event loops; 0: the machine's hardware threads
  std::string web_root;            // "" : see locate.hpp
  std::string client_bundle;       // "" : see locate.hpp
  std::string redis;               // "" : in-memory adapter (one process)
  bool allow_eio3 = false;         // socket.io-client 2.x refused, as socket.io by default
  sio::TlsOptions tls;             // no certificate: plain http/ws
};

// Fills in web_root / client_bundle when not given; false (with a message) when
// a file is missing.
bool locate_files(Options& o) {
  if (o.web_root.empty()) {
    auto found = chat::first_existing(chat::web_root_candidates(), "index.html");
    if (!found) {
      std::fprintf(stderr, "sio-chat: cannot find the page (web/index.html); pass --web-root DIR\n");
      return false;
    }
    o.web_root = found->string();
  } else if (!fs::is_regular_file(fs::path(o.web_root) / "index.html")) {
    std::fprintf(stderr, "sio-chat: %s/index.html does not exist\n", o.web_root.c_str());
    return false;
  }
  if (o.client_bundle.empty()) {
    auto found = chat::first_existing(chat::client_bundle_candidates(o.web_root));
    if (!found) {
      std::fprintf(stderr,
                   "sio-chat: cannot find node_modules/socket.io-client/dist/socket.io.min.js; run "
                   "scripts/deps.sh build (npm ci), or pass --client-bundle FILE\n");
      return false;
    }
    o.client_bundle = found->string();
  } else if (!fs::is_regular_file(o.client_bundle)) {
    std::fprintf(stderr, "sio-chat: %s does not exist\n", o.client_bundle.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sio::apps::return_large_blocks_at_once();
  sio::apps::block_sighup();
  CLI::App app{"sio-chat: a real-time chat (rooms, presence, typing, direct messages, files) on socketio-cpp"};
  Options o;
  app.add_option("--port", o.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", o.host, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  app.add_option("--history", o.history, "messages kept per room and shown on joining")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  app.add_option("--max-upload", o.max_upload, "largest image or file, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
  app.add_option("--log-format", o.log_format, "text, or json: one JSON object a line (with the sid of the connection a record is about)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  app.add_option("--threads", o.threads, "event loops (0: one per hardware thread)")->capture_default_str();
  app.add_option("--web-root", o.web_root,
                 "the page's folder (default: web/ of the checkout this binary was built in)");
  app.add_option("--client-bundle", o.client_bundle,
                 "socket.io-client browser bundle (default: node_modules/socket.io-client/dist/socket.io.min.js "
                 "next to the web root)");
  app.add_option("--redis", o.redis, "redis://host:port: run as one node of a cluster: broadcasts reach the clients of every node");
  app.add_flag("--allow-eio3", o.allow_eio3,
               "also accept Engine.IO 3 clients (socket.io-client 2.x), spoken to in Socket.IO protocol 4");
  sio::apps::add_tls_options(app, o.tls);
  CLI11_PARSE(app, argc, argv);

  chat::Log log(chat::parse_log_level(o.log_level));
  sio::configure_logging({.level = sio::parse_log_level(o.log_level).value_or(sio::LogLevel::info),
                          .format = sio::parse_log_format(o.log_format).value_or(sio::LogFormat::text)});
  if (!locate_files(o)) return 1;

  // Ctrl-C / SIGTERM: tell the clients, then close (they reconnect to the next
  // server). Installed before any thread starts, so every thread blocks them.
  std::atomic<chat::ChatServer*> running_chat{nullptr};
  std::atomic<sio::Server*> running_io{nullptr};
  sio::apps::stop_on_signals([&] {
    sio::Server* server = running_io.load();
    if (!server) std::_Exit(0);  // not serving yet: nothing to tell anyone
    if (chat::ChatServer* c = running_chat.load()) {
      auto told = std::make_shared<std::promise<void>>();
      auto once = std::make_shared<std::once_flag>();
      c->announce_shutdown([told, once] { std::call_once(*once, [&] { told->set_value(); }); });
      // The acknowledgements' own timeout ends this wait; the bound here only
      // guards against a callback that never comes.
      told->get_future().wait_for(2 * chat::ChatServer::kShutdownAckWait);
    }
    server->stop();
  });

  sio::ServerOptions opts;
  opts.host = o.host;
  opts.port = o.port;
  opts.threads = o.threads;
  opts.engine.allow_eio3 = o.allow_eio3;
  opts.engine.tls = o.tls;
  // Room for an attachment just over the limit, base64-encoded over polling,
  // so that it is answered "too-large" rather than cut off with the connection.
  opts.engine.max_http_buffer_size = 2 * o.max_upload + 65536;
  if (!o.redis.empty()) {
    std::string error;
    auto adapter = chat::make_redis_adapter(o.redis, error);
    if (!adapter) {
      std::fprintf(stderr, "sio-chat: --redis: %s\n", error.c_str());
      return 2;
    }
    opts.adapter = std::move(*adapter);
  }

  auto server = sio::apps::make_server<sio::Server>("sio-chat", opts);
  sio::Server& io = *server;
  if (!o.tls.cert_file.empty()) sio::apps::reload_tls_on_sighup("sio-chat", io);
  chat::ChatServer chat(io, chat::ChatConfig{o.history, o.max_upload}, log);
  auto files = std::make_shared<const chat::StaticFiles>(o.web_root, o.client_bundle);
  chat::install_static_files(io, files);
  log(chat::LogLevel::info, "page: %s", o.web_root.c_str());
  log(chat::LogLevel::info, "client bundle: %s", o.client_bundle.c_str());

  running_chat = &chat;
  running_io = &io;
  std::printf("sio-chat listening on %s://%s:%u (open it in a browser; Ctrl-C stops)\n",
              sio::apps::scheme(o.tls), o.host.c_str(),
              static_cast<unsigned>(io.port()));
  std::fflush(stdout);
  io.run();
  log(chat::LogLevel::info, "stopped");
  return 0;
}
