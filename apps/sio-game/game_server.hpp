// The game on a sio::Server (PROTOCOL.md): lobbies (list, create, join,
// leave), inputs applied to each room's World, and a ticker thread that steps
// every room at a fixed rate and broadcasts each room's snapshot as one
// volatile emit. A page that drops keeps its player for a grace period and
// gets it back by joining with its token.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <sio/server.hpp>

#include "../sio-chat/flood_guard.hpp"
#include "../sio-chat/log.hpp"
#include "world.hpp"

namespace game {

using Clock = std::chrono::steady_clock;

struct GameConfig {
  int tick_rate = 30;                          // Hz, 20..60
  std::chrono::milliseconds grace{10000};      // a dropped player waits this long for its page
  std::size_t max_rooms = 64;                  // rooms at once; create refuses more
  std::size_t max_players = 16;                // per room
  std::chrono::milliseconds empty_room_life{60000};  // an empty room is forgotten after this
  bool stats = false;                          // print tick figures to stderr every 5 s
};

// Per-socket bounds (PROTOCOL.md, "Limits").
struct RateLimits {
  static constexpr double kInputBurst = 30, kInputsPerSecond = 30;     // a page sends one per key change
  static constexpr double kRequestBurst = 10, kRequestsPerSecond = 5;  // list, create, join, leave, ping
  static constexpr int kMaxStrikes = 200;  // refused events before the socket is disconnected
};

class GameServer {
 public:
  GameServer(sio::Server& io, GameConfig config, chat::Log log);
  ~GameServer();  // stops the ticker
  GameServer(const GameServer&) = delete;
  GameServer& operator=(const GameServer&) = delete;

  // A room that stays while empty (the one a fresh page finds); false if the name is refused.
  bool add_permanent_room(const std::string& name);
  void start();  // starts the ticker thread
  void stop();   // stops and joins it (idempotent)

 private:
  struct Seat {
    std::string token;
    std::string socket_id;         // empty: dropped, waiting for its page
    Clock::time_point dropped_at;
  };
  struct Room {
    explicit Room(WorldConfig wc) : world(wc) {}
    World world;
    std::map<std::uint32_t, Seat> seats;
    Clock::time_point empty_since;
    bool permanent = false;  // made by the server (--room): never forgotten
  };
  struct Member {  // one connected socket
    explicit Member(Clock::time_point now)
        : inputs(RateLimits::kInputBurst, RateLimits::kInputsPerSecond, now),
          requests(RateLimits::kRequestBurst, RateLimits::kRequestsPerSecond, now) {}
    sio::Socket* socket = nullptr;
    std::string room;         // empty: in the lobby
    std::uint32_t player = 0;
    chat::TokenBucket inputs;
    chat::TokenBucket requests;
    int strikes = 0;
    bool told_rate_limited = false;  // one notice per run of refusals
  };

  void accept(sio::Socket& socket);
  void admit(sio::Socket& socket, sio::Event& ev, sio::Next next);
  boost::json::object on_create(const boost::json::value& arg);
  boost::json::object on_join(Member& m, const boost::json::value& arg);
  boost::json::object on_leave(Member& m);
  bool on_input(Member& m, sio::Event& ev);  // true: disconnect the socket (too many strikes)
  void vacate(Member& m, bool dropped);  // takes m out of its room
  boost::json::object room_list() const;

  void run_ticker();
  void tick(Clock::time_point now);

  sio::Server& io_;
  GameConfig config_;
  chat::Log log_;
  std::uint64_t next_seed_ = 1;

  std::mutex mutex_;  // everything below; handlers run on any loop, ticks on the ticker
  std::map<std::string, Room, std::less<>> rooms_;
  std::map<std::string, Member, std::less<>> members_;
  bool lobby_dirty_ = true;

  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace game
