// sio-notify: live notifications on socketio-cpp. Users sign in with a token
// (POST /login, checked by a middleware), each user's tabs share the room
// "user:<name>", and notifications come from outside the socket server:
// POST /notify with the shared secret, or (with --redis) a server-side emit
// "notify" through Redis from sio::Emitter or @socket.io/redis-emitter.
// PROTOCOL.md has the events, routes and limits.
//
//   build/bin/sio-notify --secret s3cret-s3cret-16   # then open http://127.0.0.1:3004
//   curl -H 'Authorization: Bearer s3cret-s3cret-16' -H 'Content-Type: application/json' \
//        -d '{"to":"alice","title":"Hello"}' http://127.0.0.1:3004/notify
//   build/bin/sio-notify send --redis redis://127.0.0.1:6379 --to alice --title Hello
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <sio/emitter.hpp>
#include <sio/redis.hpp>
#include <sio/server.hpp>

#include "../common/signals.hpp"
#include "../sio-chat/locate.hpp"
#include "../sio-chat/static_files.hpp"
#include "http_api.hpp"
#include "notify_server.hpp"
#include "token.hpp"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string host = "127.0.0.1";  // loopback only; --host 0.0.0.0 to share on a network
  std::uint16_t port = 3004;       // 0: any free port (3000 is the chat's)
  std::string secret;              // "" : a random one, printed at start
  std::string redis;               // "" : in-memory adapter, no Redis path
  std::size_t keep = 20;           // notifications kept per user
  std::size_t max_users = 10000;   // users kept at once
  std::size_t max_request = 16384;  // bytes of a POST body
  std::size_t threads = 0;         // event loops; 0: the machine's hardware threads
  std::string web_root;            // "" : web/notify of the checkout (see ../sio-chat/locate.hpp)
  std::string client_bundle;       // "" : node_modules/socket.io-client/dist/socket.io.min.js
};

struct SendOptions {
  std::string redis;
  std::vector<std::string> to;
  std::string title, body;
};

bool locate_files(Options& o) {
  if (o.web_root.empty()) {
    std::vector<fs::path> candidates;
    for (const auto& web : chat::web_root_candidates()) candidates.push_back(web / "notify");
    auto found = chat::first_existing(candidates, "index.html");
    if (!found) {
      std::fprintf(stderr, "sio-notify: cannot find the page (web/notify/index.html); pass --web-root DIR\n");
      return false;
    }
    o.web_root = found->string();
  } else if (!fs::is_regular_file(fs::path(o.web_root) / "index.html")) {
    std::fprintf(stderr, "sio-notify: %s/index.html does not exist\n", o.web_root.c_str());
    return false;
  }
  if (o.client_bundle.empty()) {
    auto found = chat::first_existing(chat::client_bundle_candidates(fs::path(o.web_root) / ".."));
    if (!found) {
      std::fprintf(stderr, "sio-notify: cannot find socket.io-client's browser bundle; run scripts/deps.sh build, "
                           "or pass --client-bundle FILE\n");
      return false;
    }
    o.client_bundle = found->string();
  }
  return true;
}

// `sio-notify send`: a notification through Redis with sio::Emitter, as any
// job or service of the cluster would send one (a server-side emit "notify",
// so the server stores it and counts it unread).
int send(const SendOptions& s) {
  boost::json::object notice{{"title", s.title}, {"body", s.body}};
  if (s.to.size() == 1) {
    notice["to"] = s.to.front();
  } else {
    notice["to"] = boost::json::array(s.to.begin(), s.to.end());
  }
  sio::Emitter emitter({.url = s.redis});
  emitter.server_side_emit("notify", std::move(notice));
  std::string error;
  if (!emitter.flush(std::chrono::seconds(5), &error)) {
    std::fprintf(stderr, "sio-notify send: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sio-notify: live notifications on socketio-cpp. Users sign in with a token (POST /login); notifications "
      "come from POST /notify (Authorization: Bearer <secret>) or, with --redis, from a server-side emit "
      "\"notify\" through Redis (sio::Emitter, @socket.io/redis-emitter, `sio-notify send`).\n"
      "Limits: a POST body is at most --max-request bytes; a title 120 bytes, a body 1000, a `to` list 100 "
      "names; each user keeps the last --keep notifications; at most --max-users users are kept (the least "
      "recently used is forgotten); a name is 1-32 of A-Z a-z 0-9 _ -; tokens last a day; a page may send 10 "
      "events a second (bursts of 20), past it they are answered rate-limited, and 50 refusals disconnect it."};
  Options o;
  app.add_option("--port", o.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", o.host, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  app.add_option("--secret", o.secret,
                 "shared secret: signs sign-in tokens and guards POST /notify (at least 16 characters; "
                 "default: a random one, printed at start)")
      ->envname("SIO_NOTIFY_SECRET");
  app.add_option("--redis", o.redis, "redis://host:port: also take notifications through Redis, and run on the Redis adapter");
  app.add_option("--keep", o.keep, "notifications kept per user (older ones are dropped)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  app.add_option("--max-users", o.max_users, "users kept at once")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--max-request", o.max_request, "largest POST body, in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20));
  app.add_option("--threads", o.threads, "event loops (0: one per hardware thread)")->capture_default_str();
  app.add_option("--web-root", o.web_root, "the page's folder (default: web/notify of the checkout)");
  app.add_option("--client-bundle", o.client_bundle, "socket.io-client browser bundle");

  SendOptions s;
  CLI::App* send_cmd = app.add_subcommand("send", "send one notification through Redis (sio::Emitter) and exit");
  send_cmd->add_option("--redis", s.redis, "redis://host:port")->required();
  send_cmd->add_option("--to", s.to, "a user (repeat for several), or *")->required()->allow_extra_args(false);
  send_cmd->add_option("--title", s.title, "the title")->required();
  send_cmd->add_option("--body", s.body, "the text");
  CLI11_PARSE(app, argc, argv);
  if (*send_cmd) return send(s);

  if (o.secret.empty()) {
    o.secret = notify::random_secret();
    std::fprintf(stderr, "sio-notify: no --secret given; POST /notify takes this one: %s\n", o.secret.c_str());
  } else if (o.secret.size() < 16) {
    std::fprintf(stderr, "sio-notify: --secret must be at least 16 characters\n");
    return 2;
  }
  if (!locate_files(o)) return 1;

  // Ctrl-C / SIGTERM: disconnect everyone and return from run().
  std::atomic<sio::Server*> running{nullptr};
  sio::apps::stop_on_signals([&running] {
    if (sio::Server* s = running.load()) return s->stop();
    std::_Exit(0);  // not serving yet
  });

  sio::ServerOptions opts;
  opts.host = o.host;
  opts.port = o.port;
  opts.threads = o.threads;
  // Bodies past --max-request but under this are answered 413 in JSON by the
  // app; past this the server answers 413 itself.
  opts.engine.max_http_buffer_size = std::max<std::size_t>(opts.engine.max_http_buffer_size, o.max_request);
  if (!o.redis.empty()) {
    std::string error;
    auto r = sio::redis_adapter({.url = o.redis}, error);
    if (!r) {
      std::fprintf(stderr, "sio-notify: --redis: %s\n", error.c_str());
      return 2;
    }
    opts.adapter = r->factory;
  }

  sio::Server io(opts);
  notify::NoticeLimits limits;
  notify::NotifyServer server(io, {o.secret, {o.keep, o.max_users}, limits});
  auto api = std::make_shared<const notify::HttpApi>(
      notify::HttpApiConfig{o.secret, o.max_request, 86400, limits},
      [&server](const notify::Notice& n) { return server.deliver(n); });
  auto files = std::make_shared<const chat::StaticFiles>(o.web_root, o.client_bundle);
  io.on_http([api, files](const sio::HttpRequest& req, sio::HttpResponse& res) {
    if (api->handle(req, res)) return true;
    chat::StaticResponse r = files->serve(req.method(), req.path());
    res.status = r.status;
    res.content_type = std::move(r.content_type);
    res.body = std::move(r.body);
    for (auto& [k, v] : r.headers) res.headers[k] = v;
    return true;
  });
  if (!o.redis.empty()) {
    // The Redis path: checked as a POST body is; a bad one is dropped (a
    // server-side emit has no one to answer) and logged.
    io.sockets().on_server_side_emit("notify", [&server, limits](const sio::Args& args, const sio::Ack&) {
      auto parsed = notify::parse_notice(args.empty() ? boost::json::value() : args[0].json(), limits);
      if (auto* r = std::get_if<notify::Refusal>(&parsed)) {
        std::fprintf(stderr, "sio-notify: a notify through Redis refused: %s\n", r->message.c_str());
        return;
      }
      server.deliver(std::get<notify::Notice>(parsed), /*local=*/true);
    });
  }

  running = &io;
  std::printf("sio-notify listening on http://%s:%u (open it in a browser; Ctrl-C stops)\n", o.host.c_str(),
              static_cast<unsigned>(io.port()));
  std::fflush(stdout);
  io.run();
  return 0;
}
