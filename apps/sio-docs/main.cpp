// sio-docs: a collaborative plain-text editor on socketio-cpp (the guide's
// "Google Docs" case). Pages edit one document at the same time and converge:
// operational transformation, the server ordering the operations
// (document.hpp, ot.hpp). Serves its page (web/docs/) and the official
// socket.io-client browser bundle; runs on the built-in in-memory adapter.
//
//   build/bin/sio-docs                 # then open http://127.0.0.1:3002
//   build/bin/sio-docs --help
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <sio/server.hpp>

#include "../common/signals.hpp"
#include "../sio-chat/http_hook.hpp"
#include "../sio-chat/locate.hpp"
#include "../sio-chat/static_files.hpp"
#include "docs_server.hpp"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string host = "127.0.0.1";  // loopback only; --host 0.0.0.0 to share on a network
  std::uint16_t port = 3002;       // 0: any free port (3000: the chat, 3001: sio-game, 3004: sio-notify)
  std::size_t threads = 0;         // event loops; 0: the machine's hardware threads
  std::string web_root;            // "" : web/docs of the checkout (see ../sio-chat/locate.hpp)
  std::string client_bundle;       // "" : node_modules/socket.io-client/dist/socket.io.min.js
  docs::DocLimits limits;          // defaults in document.hpp
};

// Fills in web_root / client_bundle when not given; false (with a message) when
// a file is missing.
bool locate_files(Options& o) {
  if (o.web_root.empty()) {
    std::vector<fs::path> roots;
    for (const auto& root : chat::web_root_candidates()) roots.push_back(root / "docs");
    auto found = chat::first_existing(roots, "index.html");
    if (!found) {
      std::fprintf(stderr, "sio-docs: cannot find the page (web/docs/index.html); pass --web-root DIR\n");
      return false;
    }
    o.web_root = found->string();
  } else if (!fs::is_regular_file(fs::path(o.web_root) / "index.html")) {
    std::fprintf(stderr, "sio-docs: %s/index.html does not exist\n", o.web_root.c_str());
    return false;
  }
  if (o.client_bundle.empty()) {
    auto found = chat::first_existing(chat::client_bundle_candidates(fs::path(o.web_root) / ".."));
    if (!found) {
      std::fprintf(stderr,
                   "sio-docs: cannot find node_modules/socket.io-client/dist/socket.io.min.js; run "
                   "scripts/deps.sh build (npm ci), or pass --client-bundle FILE\n");
      return false;
    }
    o.client_bundle = found->string();
  } else if (!fs::is_regular_file(o.client_bundle)) {
    std::fprintf(stderr, "sio-docs: %s does not exist\n", o.client_bundle.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sio-docs: a collaborative plain-text editor on socketio-cpp (operational transformation, the server "
      "ordering the edits). One document, in memory."};
  Options o;
  app.add_option("--port", o.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", o.host, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  app.add_option("--max-length", o.limits.max_length,
                 "longest document, in Unicode code points; longer edits are refused (too-large)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}));
  app.add_option("--history", o.limits.history,
                 "operations kept: an edit made on an older revision is refused (stale-revision), and a page "
                 "returning from further back reloads the text")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_option("--threads", o.threads, "event loops (0: one per hardware thread)")->capture_default_str();
  app.add_option("--web-root", o.web_root, "the page's folder (default: web/docs of the checkout)");
  app.add_option("--client-bundle", o.client_bundle,
                 "socket.io-client browser bundle (default: node_modules/socket.io-client/dist/socket.io.min.js)");
  app.footer(
      "Limits: an operation has at most 10000 parts; the server remembers the last sequence number of "
      "10000 pages to apply re-sent edits once.");
  CLI11_PARSE(app, argc, argv);

  if (!locate_files(o)) return 1;

  std::atomic<sio::Server*> running{nullptr};
  sio::apps::stop_on_signals([&] {
    if (sio::Server* server = running.load()) server->stop();
    else std::_Exit(0);
  });

  sio::ServerOptions opts;
  opts.host = o.host;
  opts.port = o.port;
  opts.threads = o.threads;
  // Room for a whole document in one edit (6 bytes per code point at most, a control character escaped as JSON
  // \u0001, some JSON around it).
  opts.engine.max_http_buffer_size = std::max<std::size_t>(opts.engine.max_http_buffer_size,
                                                           6 * o.limits.max_length + 65536);

  sio::Server io(opts);
  docs::DocsServer docs(io, o.limits);
  chat::install_static_files(io, std::make_shared<const chat::StaticFiles>(o.web_root, o.client_bundle));

  running = &io;
  std::printf("sio-docs listening on http://%s:%u (open it in a browser; Ctrl-C stops)\n", o.host.c_str(),
              static_cast<unsigned>(io.port()));
  std::fflush(stdout);
  io.run();
  return 0;
}
