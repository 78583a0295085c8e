#include "chat_server.hpp"

#include <chrono>
#include <set>

namespace chat {
namespace {

// The events of the protocol; anything else costs a token and is ignored.
const std::set<std::string, std::less<>> kEvents{"join", "message", "dm", "upload", "history-since", "rooms", "typing"};

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

ChatServer::ChatServer(sio::Server& io, ChatConfig config, Log log) : io_(io), log_(log), state_(config) {
  io_.on_connection([this](sio::Socket& socket) { accept(socket); });
}

void ChatServer::announce_shutdown(std::function<void()> done) {
  std::lock_guard lock(mutex_);
  // Waiting for the answers makes sure the notice reached long-polling clients,
  // whose next GET may not have arrived yet when the server stops.
  io_.timeout(kShutdownAckWait)
      .emit("server-shutdown", ChatState::shutdown_notice(),
            [done = std::move(done)](std::error_code, std::vector<sio::Args>) { done(); });
}

void ChatServer::accept(sio::Socket& socket) {
  const std::string id = socket.id();
  log_(LogLevel::debug, "connect %s (%.*s)", id.c_str(), static_cast<int>(socket.transport().size()),
       socket.transport().data());
  {
    std::lock_guard lock(mutex_);
    sockets_[id] = &socket;
    Outcome out = state_.connect(id, Clock::now());
    apply(&socket, out);
  }

  socket.use([this, &socket](sio::Event& ev, sio::Next next) { admit(socket, ev, std::move(next)); });
  // A refused event (next(error) below) lands here; nothing more to do.
  socket.on_error([](const sio::Error&) {});

  socket.on("join", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.join(socket.id(), ev.arg(0), now_ms()); });
  });
  socket.on("message", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.message(socket.id(), ev.arg(0), now_ms()); });
  });
  socket.on("dm", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.dm(socket.id(), ev.arg(0), now_ms()); });
  });
  socket.on("upload", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.upload(socket.id(), ev.arg(0), now_ms()); });
  });
  socket.on("history-since", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.history_since(socket.id(), ev.arg(0)); });
  });
  socket.on("rooms", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.rooms(socket.id()); });
  });
  socket.on("typing", [this, &socket](sio::Event& ev) {
    handle(socket, ev, [&] { return state_.typing(socket.id(), Clock::now()); });
  });

  socket.on_disconnect([this, id](sio::DisconnectReason reason) {
    log_(LogLevel::debug, "disconnect %s (%.*s)", id.c_str(), static_cast<int>(sio::to_string(reason).size()),
         sio::to_string(reason).data());
    std::lock_guard lock(mutex_);
    sockets_.erase(id);
    Outcome out = state_.disconnect(id);
    apply(nullptr, out);
  });
}

// Flood control in front of every event. A refused request is answered
// "rate-limited"; too many refusals get the socket kicked.
void ChatServer::admit(sio::Socket& socket, sio::Event& ev, sio::Next next) {
  std::unique_lock lock(mutex_);
  auto verdict = state_.admit(socket.id(), ev.name() == "typing", Clock::now());
  if (verdict == FloodGuard::Verdict::kick) {
    log_(LogLevel::warn, "disconnecting %s: flood", socket.id().c_str());
    Outcome out = state_.kick(socket.id());
    apply(&socket, out);
    lock.unlock();
    next(sio::Error{"flood", nullptr});
    return;
  }
  lock.unlock();
  if (verdict == FloodGuard::Verdict::refused) {
    if (ev.wants_ack()) ev.ack(ChatState::rate_limited());
    next(sio::Error{"rate-limited", nullptr});
    return;
  }
  if (!kEvents.contains(ev.name())) {
    next(sio::Error{"unknown event", nullptr});
    return;
  }
  next();
}

template <class Request>
void ChatServer::handle(sio::Socket& socket, sio::Event& ev, Request request) {
  std::lock_guard lock(mutex_);
  Outcome out = request();
  sio::Payload answer = std::move(out.answer);
  std::vector<std::string> closing = std::move(out.disconnect);
  out.disconnect.clear();
  apply(&socket, out);
  if (ev.wants_ack() && !answer.json().is_null()) ev.ack(std::move(answer));
  // Last: a disconnect may run its handler right here (same loop).
  for (const auto& id : closing) {
    if (auto it = sockets_.find(id); it != sockets_.end()) it->second->disconnect(true);
  }
}

void ChatServer::apply(sio::Socket* actor, Outcome& out) {
  if (actor) {
    if (!out.leave_room.empty()) actor->leave(out.leave_room);
    if (!out.join_room.empty()) actor->join(out.join_room);
    if (!out.join_room.empty()) {
      log_(LogLevel::info, "%s joined %s", actor->id().c_str(), out.join_room.c_str());
    }
  }
  for (auto& e : out.emits) {
    sio::Args args;
    args.push_back(std::move(e.payload));
    switch (e.to) {
      case Emit::To::socket:
        if (auto it = sockets_.find(e.target); it != sockets_.end()) {
          it->second->emit_args(e.event, std::move(args));
        }
        break;
      case Emit::To::room: {
        sio::BroadcastOperator op = io_.to(e.target);
        if (!e.except.empty()) op = op.except(e.except);
        if (e.volatile_) op = op.volatile_();
        op.emit_args(e.event, std::move(args));
        break;
      }
      case Emit::To::everyone:
        io_.sockets().emit_args(e.event, std::move(args));
        break;
    }
  }
  for (const auto& id : out.disconnect) {
    if (auto it = sockets_.find(id); it != sockets_.end()) it->second->disconnect(true);
  }
  out.disconnect.clear();
}

}  // namespace chat
