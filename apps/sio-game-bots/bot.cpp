#include "bot.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace bots {
namespace {

using namespace std::chrono_literals;

// A JSON number as a double (0 for anything else).
double num(const boost::json::value& v) { return v.is_number() ? v.to_number<double>() : 0; }

// -1, 0 or 1: the way to go along one axis, with a dead zone against jitter.
int toward(double from, double to) {
  constexpr double kDeadZone = 4;
  return to - from > kDeadZone ? 1 : from - to > kDeadZone ? -1 : 0;
}

}  // namespace

Bot::Bot(BotConfig config) : config_(std::move(config)) {
  sio::ClientOptions opts;
  opts.transports = {sio::ClientTransport::websocket};
  client_ = std::make_unique<sio::Client>(config_.url, opts);
  socket_ = &client_->socket("/");
  // Joined again on every (re)connection, with the token once there is one:
  // the server gives a returning bot its player back.
  socket_->on_connect([this] {
    // The room may not exist yet: create it (room-exists is fine), then join.
    socket_->emit_with_ack("create", {boost::json::object{{"room", config_.room}}}, 5s, [this](sio::AckResult) { join(); });
  });
  socket_->on("state", [this](sio::ClientEvent& ev) { on_state(ev.arg(0).json()); });
  client_->run_in_background();
}

Bot::~Bot() { client_->close(); }

void Bot::join() {
  boost::json::object req{{"room", config_.room}, {"name", config_.name}};
  if (!token_.empty()) req["token"] = token_;
  socket_->emit_with_ack("join", {std::move(req)}, 5s, [this](sio::AckResult r) {
    if (!r || r.args.empty()) return;
    const boost::json::object* a = r.args[0].json().if_object();
    const boost::json::value* ok = a ? a->if_contains("ok") : nullptr;
    const boost::json::value* token = a ? a->if_contains("token") : nullptr;
    const boost::json::value* you = a ? a->if_contains("you") : nullptr;
    if (!ok || !ok->is_bool() || !ok->get_bool() || !token || !token->is_string() || !you || !you->is_number()) {
      return;  // refused (e.g. room-full): this bot stays in the lobby
    }
    token_ = std::string(token->get_string());
    player_ = static_cast<std::uint32_t>(you->to_number<double>());
  });
}

void Bot::on_state(const boost::json::value& state) {
  ++snapshots_;
  const std::uint32_t me = player_.load();
  // The server's snapshots have this shape (PROTOCOL.md); anything else is skipped.
  const boost::json::object* s = state.if_object();
  const boost::json::value* players = s ? s->if_contains("players") : nullptr;
  const boost::json::value* coins = s ? s->if_contains("coins") : nullptr;
  if (!me || !players || !players->is_array() || !coins || !coins->is_array()) return;
  double x = 0, y = 0;
  bool found = false;
  for (const auto& p : players->get_array()) {
    const boost::json::object* o = p.if_object();
    const boost::json::value* id = o ? o->if_contains("id") : nullptr;
    if (id && id->is_number() && id->to_number<double>() == me && o->contains("x") && o->contains("y")) {
      x = num(o->at("x"));
      y = num(o->at("y"));
      found = true;
      break;
    }
  }
  if (!found) return;
  double best = std::numeric_limits<double>::max(), cx = x, cy = y;
  for (const auto& c : coins->get_array()) {
    const boost::json::array* a = c.if_array();
    if (!a || a->size() < 3 || !(*a)[1].is_number() || !(*a)[2].is_number()) continue;
    const double ux = num((*a)[1]), uy = num((*a)[2]);
    const double d = (ux - x) * (ux - x) + (uy - y) * (uy - y);
    if (d < best) {
      best = d;
      cx = ux;
      cy = uy;
    }
  }
  const int dx = toward(x, cx), dy = toward(y, cy);
  const Clock::time_point now = Clock::now();
  if ((dx == dx_ && dy == dy_) ||
      now - last_input_ < std::chrono::duration<double>(1.0 / config_.max_inputs_per_second)) {
    return;
  }
  dx_ = dx;
  dy_ = dy;
  last_input_ = now;
  ++inputs_;
  socket_->emit("input", boost::json::object{{"seq", ++seq_}, {"dx", dx}, {"dy", dy}});
}

void Bot::ping() {
  const Clock::time_point sent = Clock::now();
  socket_->emit_with_ack("ping", {}, 5s, [this, sent](sio::AckResult r) {
    if (!r) return;
    std::lock_guard lock(rtt_mutex_);
    rtts_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
  });
}

std::vector<double> Bot::take_rtts() {
  std::lock_guard lock(rtt_mutex_);
  return std::exchange(rtts_, {});
}

}  // namespace bots
