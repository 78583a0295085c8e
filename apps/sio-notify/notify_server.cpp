#include "notify_server.hpp"

#include <chrono>
#include <memory>

#include <boost/json/array.hpp>

#include "../sio-chat/flood_guard.hpp"
#include "token.hpp"

namespace notify {
namespace {

namespace json = boost::json;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

json::object to_json(const Notification& n) {
  return json::object{
      {"id", n.id}, {"title", n.content->title}, {"body", n.content->body}, {"at", n.content->at_ms}, {"read", n.read}};
}

json::object error(std::string_view code, std::string_view message) {
  return json::object{{"error", code}, {"message", message}};
}

// Per-socket flood control: a token bucket for the page's events; a refused
// event is a strike, and too many strikes in a row get the socket disconnected.
// Used on the socket's own loop only (no lock).
struct PageGuard {
  static constexpr double kBurst = 20, kPerSecond = 10;  // bursts of 20, 10 events/s sustained
  static constexpr int kMaxStrikes = 50;                 // refusals before the socket is disconnected

  chat::TokenBucket bucket{kBurst, kPerSecond, chat::Clock::now()};
  int strikes = 0;
};

}  // namespace

NotifyServer::NotifyServer(sio::Server& io, NotifyConfig config)
    : io_(io), config_(std::move(config)), inbox_(config_.inbox) {
  io_.use([this](sio::Socket& socket, sio::Next next) { authenticate(socket, std::move(next)); });
  io_.on_connection([this](sio::Socket& socket) { accept(socket); });
}

// The namespace middleware: no valid token, no connection (the page gets
// CONNECT_ERROR "invalid token" and shows the sign-in form again).
void NotifyServer::authenticate(sio::Socket& socket, sio::Next next) {
  const json::value* token = socket.handshake().auth.if_contains("token");
  std::optional<std::string> user;
  if (token && token->is_string()) {
    user = verify_token(config_.secret, token->get_string(), now_ms() / 1000);
  }
  if (!user) return next(sio::Error{"invalid token", json::object{{"code", "bad-token"}}});
  socket.data() = json::object{{"user", *user}};
  next();
}

void NotifyServer::accept(sio::Socket& socket) {
  const std::string user(socket.data().at("user").as_string());
  socket.join(room_of(user));
  {
    std::lock_guard lock(mutex_);
    inbox_.touch(user);
    socket.emit("inbox", inbox_of(user));
  }
  socket.use([guard = std::make_shared<PageGuard>(), &socket](sio::Event& ev, sio::Next next) {
    guard->bucket.refill(chat::Clock::now());
    if (guard->bucket.full()) guard->strikes = 0;  // quiet long enough: forgiven
    if (guard->bucket.take()) return next();
    if (++guard->strikes >= PageGuard::kMaxStrikes) {
      next(sio::Error{"flood", nullptr});
      return socket.disconnect(true);
    }
    if (ev.wants_ack()) ev.ack(error("rate-limited", "too many events; slow down"));
    next(sio::Error{"rate-limited", nullptr});
  });
  socket.on_error([](const sio::Error&) {});  // a refused event ends here
  socket.on("read", [this, user](sio::Event& ev) { on_read(user, ev); });
  socket.on("read-all", [this, user](sio::Event& ev) { on_read_all(user, ev); });
  // Anything else a page sends is ignored (no handler, no state).
}

// A read receipt: "read", id, ack. The ack answers the tab that asked; the
// count goes to every tab of the user.
void NotifyServer::on_read(const std::string& user, sio::Event& ev) {
  const json::value& id = ev.arg(0).json();
  if (!id.is_uint64() && !(id.is_int64() && id.get_int64() > 0)) {
    if (ev.wants_ack()) ev.ack(error("bad-id", "read takes a notification id (a positive integer)"));
    return;
  }
  const std::uint64_t n = id.is_uint64() ? id.get_uint64() : static_cast<std::uint64_t>(id.get_int64());
  std::lock_guard lock(mutex_);
  switch (inbox_.mark_read(user, n)) {
    case Inbox::Read::unknown:
      if (ev.wants_ack()) ev.ack(error("unknown-id", "no such notification (or dropped as old)"));
      return;
    case Inbox::Read::already:
      break;
    case Inbox::Read::marked:
      send_unread(user, json::array{n});
      break;
  }
  if (ev.wants_ack()) ev.ack(json::object{{"ok", true}, {"unread", inbox_.unread(user)}});
}

void NotifyServer::on_read_all(const std::string& user, sio::Event& ev) {
  std::lock_guard lock(mutex_);
  std::vector<std::uint64_t> changed = inbox_.mark_all_read(user);
  if (!changed.empty()) send_unread(user, json::array(changed.begin(), changed.end()));
  if (ev.wants_ack()) ev.ack(json::object{{"ok", true}, {"unread", 0}});
}

void NotifyServer::send_unread(const std::string& user, json::array read_ids) {
  io_.to(room_of(user)).emit("unread", json::object{{"unread", inbox_.unread(user)}, {"read", std::move(read_ids)}});
}

json::object NotifyServer::inbox_of(const std::string& user) const {
  json::array items;
  for (const auto& n : inbox_.list(user)) items.push_back(to_json(n));
  return json::object{{"user", user},
                      {"items", std::move(items)},
                      {"unread", inbox_.unread(user)},
                      {"keep", inbox_.limits().per_user}};
}

json::object NotifyServer::deliver(const Notice& notice, bool local) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  auto content = std::make_shared<const Content>(Content{notice.title, notice.body, now_ms()});
  std::vector<std::string> users = notice.everyone ? inbox_.users() : notice.to;
  for (const auto& user : users) {
    json::object msg = to_json(inbox_.add(user, id, content));
    msg["unread"] = inbox_.unread(user);
    sio::BroadcastOperator to = io_.to(room_of(user));
    if (local) to = to.local();
    to.emit("notification", std::move(msg));
  }
  return json::object{{"id", id}, {"users", users.size()}};
}

}  // namespace notify
