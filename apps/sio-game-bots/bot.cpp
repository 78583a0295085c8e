#include "bot.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace bots {
namespace {

using namespace std::chrono_literals;

double num(const boost::json::value& v) { return v.is_double() ? v.get_double() : static_cast<double>(v.to_number<double>()); }

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
    if (!a || !a->contains("ok") || !a->at("ok").as_bool()) return;
    token_ = std::string(a->at("token").as_string());
    player_ = static_cast<std::uint32_t>(a->at("you").to_number<std::uint32_t>());
  });
}

void Bot::on_state(const boost::json::value& state) {
  ++snapshots_;
  const std::uint32_t me = player_.load();
  const boost::json::object* s = state.if_object();
  if (!me || !s) return;
  double x = 0, y = 0;
  bool found = false;
  for (const auto& p : s->at("players").as_array()) {
    const auto& o = p.as_object();
    if (o.at("id").to_number<std::uint32_t>() == me) {
      x = num(o.at("x"));
      y = num(o.at("y"));
      found = true;
      break;
    }
  }
  if (!found) return;
  double best = std::numeric_limits<double>::max(), cx = x, cy = y;
  for (const auto& c : s->at("coins").as_array()) {
    const auto& a = c.as_array();
    const double ux = num(a.at(1)), uy = num(a.at(2));
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
