#include "game_server.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>

#include "protocol.hpp"

namespace game {
namespace {

const std::set<std::string, std::less<>> kEvents{"list", "create", "join", "leave", "input", "ping"};
constexpr std::string_view kLobby = "lobby";  // sockets not in a game: they get "rooms" updates

constexpr Refusal kRateLimited{"rate-limited", "Too many messages: slow down."};
constexpr Refusal kUnknownEvent{"unknown-event", "This server knows list, create, join, leave, input and ping."};
constexpr Refusal kNoSuchRoom{"no-such-room", "There is no room of that name (any more); create it or pick another."};
constexpr Refusal kRoomExists{"room-exists", "A room of that name exists already: join it."};
constexpr Refusal kTooManyRooms{"too-many-rooms", "The server has as many rooms as it takes; join one."};
constexpr Refusal kRoomFull{"room-full", "This room is full."};
constexpr Refusal kNotJoined{"not-joined", "Join a room first."};

// The Socket.IO room a game's pages are in (apart from "lobby").
std::string room_key(std::string_view name) { return "game:" + std::string(name); }

std::string new_token() {
  static thread_local std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t r = rd();
    for (int j = 0; j < 8; ++j, r >>= 4) t.push_back(kHex[r & 15]);
  }
  return t;
}

const boost::json::value& arg_json(const sio::Event& ev) { return ev.arg(0).json(); }

// CPU time of the calling thread.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// CPU time of the whole process.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

GameServer::GameServer(sio::Server& io, GameConfig config, chat::Log log) : io_(io), config_(config), log_(log) {
  io_.on_connection([this](sio::Socket& socket) { accept(socket); });
}

GameServer::~GameServer() { stop(); }

bool GameServer::add_permanent_room(const std::string& name) {
  std::lock_guard lock(mutex_);
  boost::json::object answer = on_create(boost::json::object{{"room", name}});
  if (!answer.at("ok").as_bool()) return false;
  rooms_.at(name).permanent = true;
  return true;
}

void GameServer::start() { ticker_ = std::thread([this] { run_ticker(); }); }

void GameServer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void GameServer::accept(sio::Socket& socket) {
  const std::string id = socket.id();
  {
    std::lock_guard lock(mutex_);
    auto [it, _] = members_.try_emplace(id, Clock::now());
    it->second.socket = &socket;
  }
  socket.join(kLobby);
  socket.use([this, &socket](sio::Event& ev, sio::Next next) { admit(socket, ev, std::move(next)); });
  socket.on_error([](const sio::Error&) {});  // refused in admit(); the page was told there

  auto request = [this, &socket](auto handler) {
    return [this, &socket, handler](sio::Event& ev) {
      boost::json::object answer;
      {
        std::lock_guard lock(mutex_);
        auto it = members_.find(socket.id());
        if (it == members_.end()) return;
        answer = handler(it->second, ev);
      }
      if (ev.wants_ack()) ev.ack(std::move(answer));
    };
  };
  socket.on("list", request([this](Member&, sio::Event&) { return room_list(); }));
  socket.on("create", request([this](Member&, sio::Event& ev) { return on_create(arg_json(ev)); }));
  socket.on("join", request([this](Member& m, sio::Event& ev) { return on_join(m, arg_json(ev)); }));
  socket.on("leave", request([this](Member& m, sio::Event&) { return on_leave(m); }));
  socket.on("ping", [](sio::Event& ev) { ev.ack(boost::json::object{{"ok", true}}); });
  socket.on("input", [this, &socket](sio::Event& ev) {
    bool kick = false;
    {
      std::lock_guard lock(mutex_);
      if (auto it = members_.find(socket.id()); it != members_.end()) kick = on_input(it->second, ev);
    }
    if (kick) socket.disconnect(true);  // unlocked: its disconnect handler may run right here
  });

  socket.on_disconnect([this, id](sio::DisconnectReason) {
    std::lock_guard lock(mutex_);
    auto it = members_.find(id);
    if (it == members_.end()) return;
    vacate(it->second, true);
    members_.erase(it);
  });
}

// Rate bounds and known events, in front of every handler. A refusal is
// answered (ack, or a "game-error" event once per run of refusals); too many
// refusals get the socket disconnected. Nothing a socket sends reaches the
// others' rooms unless it passed here.
void GameServer::admit(sio::Socket& socket, sio::Event& ev, sio::Next next) {
  const Refusal* refusal = nullptr;
  bool kick = false, notify = false;
  {
    std::lock_guard lock(mutex_);
    auto it = members_.find(socket.id());
    if (it == members_.end()) return;
    Member& m = it->second;
    const Clock::time_point now = Clock::now();
    chat::TokenBucket& bucket = ev.name() == "input" ? m.inputs : m.requests;
    bucket.refill(now);
    if (!kEvents.contains(ev.name())) {
      refusal = &kUnknownEvent;
    } else if (!bucket.take()) {
      refusal = &kRateLimited;
    }
    if (!refusal) {
      m.told_rate_limited = false;
    } else {
      kick = ++m.strikes >= RateLimits::kMaxStrikes;
      notify = !(refusal == &kRateLimited && m.told_rate_limited);
      if (refusal == &kRateLimited) m.told_rate_limited = true;
    }
  }
  if (!refusal) {
    next();
    return;
  }
  if (ev.wants_ack()) {
    ev.ack(refusal_json(*refusal));
  } else if (notify) {
    socket.emit("game-error", refusal_json(*refusal));
  }
  next(sio::Error{std::string(refusal->code), nullptr});
  if (kick) {
    log_(chat::LogLevel::warn, "disconnecting %s: too many refused events", socket.id().c_str());
    socket.disconnect(true);
  }
}

boost::json::object GameServer::room_list() const {
  boost::json::array rooms;
  for (const auto& [name, room] : rooms_) {
    rooms.push_back(boost::json::object{{"name", name}, {"players", room.seats.size()}});
  }
  return {{"ok", true}, {"rooms", std::move(rooms)}};
}

boost::json::object GameServer::on_create(const boost::json::value& arg) {
  const boost::json::object* o = arg.if_object();
  auto room = parse_room(o && o->contains("room") ? o->at("room") : boost::json::value());
  if (auto* r = std::get_if<Refusal>(&room)) return refusal_json(*r);
  const std::string& name = std::get<std::string>(room);
  if (rooms_.contains(name)) return refusal_json(kRoomExists);
  if (rooms_.size() >= config_.max_rooms) return refusal_json(kTooManyRooms);
  WorldConfig wc;
  wc.max_players = config_.max_players;
  wc.seed = next_seed_++;
  auto [it, _] = rooms_.emplace(name, Room(wc));
  it->second.empty_since = Clock::now();
  lobby_dirty_ = true;
  log_(chat::LogLevel::info, "room %s created", name.c_str());
  return {{"ok", true}, {"room", name}};
}

boost::json::object GameServer::on_join(Member& m, const boost::json::value& arg) {
  const boost::json::object* o = arg.if_object();
  auto field = [o](const char* k) { return o && o->contains(k) ? o->at(k) : boost::json::value(); };
  auto room_name = parse_room(field("room"));
  if (auto* r = std::get_if<Refusal>(&room_name)) return refusal_json(*r);
  auto name = parse_name(field("name"));
  if (auto* r = std::get_if<Refusal>(&name)) return refusal_json(*r);
  auto rit = rooms_.find(std::get<std::string>(room_name));
  if (rit == rooms_.end()) return refusal_json(kNoSuchRoom);
  Room& room = rit->second;
  const std::string& key = rit->first;

  // A returning page: its token names a seat of this room, dropped or held by
  // an older connection of the same page (which is let go).
  const boost::json::value token = field("token");
  std::uint32_t player = 0;
  bool resumed = false;
  bool already = false;  // this very socket holds that player: the answer again, nothing changes
  if (token.is_string() && !token.get_string().empty()) {
    for (auto& [id, seat] : room.seats) {
      if (seat.token != token.get_string()) continue;
      already = m.room == key && m.player == id;
      if (!already && !seat.socket_id.empty()) {
        if (auto old = members_.find(seat.socket_id); old != members_.end()) {
          old->second.room.clear();
          old->second.socket->leave(room_key(key));
          old->second.socket->join(kLobby);
          old->second.socket->emit("game-error", boost::json::object{{"ok", false},
                                                                     {"error", "replaced"},
                                                                     {"message", "This player was taken over by another page."}});
        }
      }
      player = id;
      resumed = true;
      break;
    }
  }
  if (m.room == key && !resumed) return refusal_json(Refusal{"already-joined", "You are in this room already."});
  if (!resumed && room.world.players().size() >= config_.max_players) return refusal_json(kRoomFull);

  if (!already) vacate(m, false);  // out of any other room
  if (resumed) {
    if (!already) room.world.set_connected(player, true);
  } else {
    player = *room.world.add_player(std::get<std::string>(name));
    room.seats[player].token = new_token();
  }
  Seat& seat = room.seats[player];
  seat.socket_id = m.socket->id();
  m.room = key;
  m.player = player;
  m.socket->leave(kLobby);
  m.socket->join(room_key(key));
  lobby_dirty_ = true;
  log_(chat::LogLevel::info, "%s %s %s as player %u", m.socket->id().c_str(), resumed ? "returned to" : "joined",
       key.c_str(), player);
  const WorldConfig& wc = room.world.config();
  return {{"ok", true},
          {"room", key},
          {"you", player},
          {"token", seat.token},
          {"resumed", resumed},
          {"tickRate", config_.tick_rate},
          {"arena", boost::json::object{{"width", wc.width}, {"height", wc.height}, {"playerRadius", wc.player_radius},
                                        {"coinRadius", wc.coin_radius}}},
          {"state", snapshot_json(key, room.world)}};
}

boost::json::object GameServer::on_leave(Member& m) {
  if (m.room.empty()) return refusal_json(kNotJoined);
  vacate(m, false);
  return {{"ok", true}};
}

void GameServer::vacate(Member& m, bool dropped) {
  if (m.room.empty()) return;
  auto rit = rooms_.find(m.room);
  if (rit != rooms_.end()) {
    Room& room = rit->second;
    auto sit = room.seats.find(m.player);
    if (sit != room.seats.end() && sit->second.socket_id == m.socket->id()) {
      if (dropped) {
        sit->second.socket_id.clear();
        sit->second.dropped_at = Clock::now();
        room.world.set_connected(m.player, false);
      } else {
        room.seats.erase(sit);
        room.world.remove_player(m.player);
        if (room.seats.empty()) room.empty_since = Clock::now();
      }
    }
  }
  if (!dropped) {
    m.socket->leave(room_key(m.room));
    m.socket->join(kLobby);
  }
  m.room.clear();
  m.player = 0;
  lobby_dirty_ = true;
}

bool GameServer::on_input(Member& m, sio::Event& ev) {
  auto parsed = parse_input(arg_json(ev));
  const Refusal* refusal = std::get_if<Refusal>(&parsed);
  if (!refusal && m.room.empty()) refusal = &kNotJoined;
  if (refusal) {
    if (ev.wants_ack()) {
      ev.ack(refusal_json(*refusal));
    } else {
      m.socket->emit("game-error", refusal_json(*refusal));
    }
    return ++m.strikes >= RateLimits::kMaxStrikes;
  }
  auto rit = rooms_.find(m.room);
  if (rit == rooms_.end()) return false;
  World::InputResult r = rit->second.world.apply_input(m.player, std::get<Input>(parsed));
  if (ev.wants_ack()) ev.ack(boost::json::object{{"ok", r == World::InputResult::applied}});
  return false;
}

void GameServer::run_ticker() {
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / config_.tick_rate));
  Clock::time_point next = Clock::now();
  // --stats: figures over the last 5 s.
  Clock::time_point stats_from = next;
  double cpu_from = cpu_seconds(), ticker_from = thread_cpu_seconds(), work_sum = 0, work_max = 0;
  std::size_t ticks = 0, late = 0;
  for (;;) {
    next += period;
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_until(lock, next, [this] { return stopping_; })) return;
    }
    const Clock::time_point start = Clock::now();
    tick(start);
    const Clock::time_point end = Clock::now();
    const double work = std::chrono::duration<double, std::milli>(end - start).count();
    work_sum += work;
    work_max = std::max(work_max, work);
    ++ticks;
    if (end > next + period) {  // more than a tick behind: skip, do not burst to catch up
      ++late;
      next = end;
    }
    if (config_.stats && end - stats_from >= std::chrono::seconds(5)) {
      std::size_t rooms = 0, players = 0;
      {
        std::lock_guard lock(mutex_);
        rooms = rooms_.size();
        for (const auto& [_, r] : rooms_) players += r.world.players().size();
      }
      const double wall = std::chrono::duration<double>(end - stats_from).count();
      const double cpu = cpu_seconds(), ticker = thread_cpu_seconds();
      std::fprintf(stderr,
                   "[stats] rooms %zu players %zu | ticks %.1f/s (late %zu) | tick work avg %.3f ms max %.3f ms "
                   "(budget %.1f ms) | CPU: process %.0f%%, ticker %.0f%%, the rest (loops) %.0f%%\n",
                   rooms, players, static_cast<double>(ticks) / wall, late, work_sum / static_cast<double>(ticks),
                   work_max, 1000.0 / config_.tick_rate, 100 * (cpu - cpu_from) / wall,
                   100 * (ticker - ticker_from) / wall, 100 * ((cpu - cpu_from) - (ticker - ticker_from)) / wall);
      stats_from = end;
      cpu_from = cpu;
      ticker_from = ticker;
      work_sum = work_max = 0;
      ticks = late = 0;
    }
  }
}

// One tick: every room steps and its snapshot is encoded once and broadcast
// to the room as one volatile emit (a page that cannot take it now skips it;
// the next one supersedes it anyway).
void GameServer::tick(Clock::time_point now) {
  const double dt = 1.0 / config_.tick_rate;
  std::vector<std::pair<std::string, boost::json::object>> snapshots;
  std::optional<boost::json::object> lobby;
  {
    std::lock_guard lock(mutex_);
    for (auto it = rooms_.begin(); it != rooms_.end();) {
      Room& room = it->second;
      for (auto s = room.seats.begin(); s != room.seats.end();) {  // dropped for too long: gone
        if (s->second.socket_id.empty() && now - s->second.dropped_at > config_.grace) {
          room.world.remove_player(s->first);
          s = room.seats.erase(s);
          lobby_dirty_ = true;
          if (room.seats.empty()) room.empty_since = now;
        } else {
          ++s;
        }
      }
      if (room.seats.empty() && !room.permanent && now - room.empty_since > config_.empty_room_life) {
        log_(chat::LogLevel::info, "room %s forgotten (empty)", it->first.c_str());
        it = rooms_.erase(it);
        lobby_dirty_ = true;
        continue;
      }
      if (!room.seats.empty()) {
        room.world.step(dt);
        snapshots.emplace_back(room_key(it->first), snapshot_json(it->first, room.world));
      }
      ++it;
    }
    if (lobby_dirty_) {
      lobby = room_list();
      lobby_dirty_ = false;
    }
  }
  for (auto& [key, snapshot] : snapshots) io_.to(key).volatile_().emit("state", std::move(snapshot));
  if (lobby) io_.to(kLobby).emit("rooms", std::move(*lobby));
}

}  // namespace game
