// sio-game: a small multiplayer arena on socketio-cpp. The server is
// authoritative: pages send inputs, the server steps each room's World at a
// fixed rate and broadcasts its state as volatile snapshots (PROTOCOL.md).
// Serves its page (web/game/) and the socket.io-client browser bundle.
//
//   build/bin/sio-game                 # then open http://127.0.0.1:3001
//   build/bin/sio-game-bots --count 5  # five C++ bots join the room "arena"
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <sio/server.hpp>

#include "../common/memory.hpp"
#include "../common/signals.hpp"
#include "../sio-chat/http_hook.hpp"
#include "../sio-chat/locate.hpp"
#include "../sio-chat/log.hpp"
#include "../sio-chat/static_files.hpp"
#include "game_server.hpp"

namespace fs = std::filesystem;

namespace {

struct Options {
  std::string host = "127.0.0.1";  // loopback only; --host 0.0.0.0 to share on a network
  std::uint16_t port = 3001;       // 0: any free port (3000 is the chat's)
  int tick_rate = 30;              // Hz: snapshots per second
  double grace = 10;               // seconds a dropped player waits for its page
  std::size_t max_rooms = 64;
  std::size_t max_players = 16;    // per room
  std::string room = "arena";      // created at start, never forgotten ("" : none)
  std::size_t threads = 1;         // event loops; the game's state is behind one lock
  std::string log_level = "info";
  bool stats = false;
  std::string web_root;            // "" : web/game of the checkout (see ../sio-chat/locate.hpp)
  std::string client_bundle;       // "" : node_modules/socket.io-client/dist/socket.io.min.js
};

bool locate_files(Options& o) {
  if (o.web_root.empty()) {
    std::vector<fs::path> candidates;
    for (const auto& web : chat::web_root_candidates()) candidates.push_back(web / "game");
    auto found = chat::first_existing(candidates, "index.html");
    if (!found) {
      std::fprintf(stderr, "sio-game: cannot find the page (web/game/index.html); pass --web-root DIR\n");
      return false;
    }
    o.web_root = found->string();
  } else if (!fs::is_regular_file(fs::path(o.web_root) / "index.html")) {
    std::fprintf(stderr, "sio-game: %s/index.html does not exist\n", o.web_root.c_str());
    return false;
  }
  if (o.client_bundle.empty()) {
    auto found = chat::first_existing(chat::client_bundle_candidates(fs::path(o.web_root) / ".."));
    if (!found) {
      std::fprintf(stderr, "sio-game: cannot find the socket.io-client bundle; run scripts/deps.sh build (npm ci), "
                           "or pass --client-bundle FILE\n");
      return false;
    }
    o.client_bundle = found->string();
  } else if (!fs::is_regular_file(o.client_bundle)) {
    std::fprintf(stderr, "sio-game: %s does not exist\n", o.client_bundle.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sio::apps::return_large_blocks_at_once();
  CLI::App app{"sio-game: a multiplayer arena (an authoritative server ticking at a fixed rate) on socketio-cpp"};
  Options o;
  app.add_option("--port", o.port, "TCP port (0: any free port)")->capture_default_str();
  app.add_option("--host", o.host, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  app.add_option("--tick-rate", o.tick_rate, "simulation steps and snapshots per second")
      ->capture_default_str()
      ->check(CLI::Range(20, 60));
  app.add_option("--grace", o.grace, "seconds a dropped player keeps its place, waiting for its page")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--max-rooms", o.max_rooms, "rooms at once")->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--max-players", o.max_players, "players per room")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--room", o.room, "a room made at start that stays while empty (\"\": none)")->capture_default_str();
  app.add_option("--threads", o.threads, "event loops (0: one per hardware thread)")->capture_default_str();
  app.add_option("--log-level", o.log_level, "debug, info, warn, error or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  app.add_flag("--stats", o.stats, "print tick time and CPU figures to stderr every 5 s");
  app.add_option("--web-root", o.web_root, "the page's folder (default: web/game of the checkout)");
  app.add_option("--client-bundle", o.client_bundle, "socket.io-client browser bundle (default: from node_modules)");
  CLI11_PARSE(app, argc, argv);

  chat::Log log(chat::parse_log_level(o.log_level));
  // The chat's logger writes through the library's log: stderr, as the chat does.
  sio::configure_logging({.level = sio::parse_log_level(o.log_level).value_or(sio::LogLevel::info)});
  if (!locate_files(o)) return 1;

  std::atomic<sio::Server*> running_io{nullptr};
  sio::apps::stop_on_signals([&] {
    sio::Server* server = running_io.load();
    if (!server) std::_Exit(0);
    server->stop();
  });

  sio::ServerOptions opts;
  opts.host = o.host;
  opts.port = o.port;
  opts.threads = o.threads;
  sio::Server io(opts);

  game::GameConfig config;
  config.tick_rate = o.tick_rate;
  config.grace = std::chrono::milliseconds(static_cast<long long>(o.grace * 1000));
  config.max_rooms = o.max_rooms;
  config.max_players = o.max_players;
  config.stats = o.stats;
  game::GameServer game(io, config, log);
  if (!o.room.empty() && !game.add_permanent_room(o.room)) {
    std::fprintf(stderr, "sio-game: --room %s: not a valid room name\n", o.room.c_str());
    return 2;
  }
  chat::install_static_files(io, std::make_shared<const chat::StaticFiles>(o.web_root, o.client_bundle));
  log(chat::LogLevel::info, "page: %s", o.web_root.c_str());

  game.start();
  running_io = &io;
  std::printf("sio-game listening on http://%s:%u (open it in a browser; Ctrl-C stops)\n", o.host.c_str(),
              static_cast<unsigned>(io.port()));
  std::fflush(stdout);
  io.run();
  game.stop();
  log(chat::LogLevel::info, "stopped");
  return 0;
}
