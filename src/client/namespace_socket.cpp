#include "client/namespace_socket.hpp"

#include <utility>

#include "client/manager.hpp"
#include "wire/sio_args.hpp"

namespace sio::client {

namespace sp = wire::socketio;

NamespaceSocket::NamespaceSocket(Manager& manager, engine::Loop& loop, std::string nsp, NamespaceOptions opts)
    : manager_(manager), loop_(loop), nsp_(std::move(nsp)), opts_(std::move(opts)) {}

NamespaceSocket::~NamespaceSocket() {
  for (auto& [id, a] : acks_) {
    if (a.timer) loop_.cancel_timer(a.timer);
  }
}

void NamespaceSocket::connect() {
  if (connected_) return;
  active_ = true;
  if (!manager_.reconnecting()) manager_.open();
  if (manager_.state() == Manager::State::open) send_connect();
}

void NamespaceSocket::disconnect() {
  const bool was_connected = std::exchange(connected_, false);
  if (was_connected) {
    std::string text = "4";
    sp::append_text(text, sp::Packet{sp::Disconnect{nsp_}});
    manager_.write(sp::Encoded{wire::SharedBytes::copy_of(text), {}});
    id_.clear();
  }
  // Not connected any more before the manager hears of it: if this was the
  // last socket it closes, and this socket must not hear that close too.
  deactivate();
  if (was_connected) {
    if (observer_) observer_->on_disconnect("io client disconnect", "");
    clear_acks();
  }
}

void NamespaceSocket::shutdown(std::error_code ec) {
  send_buffer_.clear();
  receive_buffer_.clear();
  std::vector<std::uint64_t> ids;
  for (const auto& [id, a] : acks_) ids.push_back(id);
  for (auto id : ids) fail_ack(id, ec);
  disconnect();
}

void NamespaceSocket::deactivate() {
  if (!active_) return;
  active_ = false;
  manager_.socket_inactive();
}

std::error_code NamespaceSocket::emit(OutgoingEvent&& ev) {
  if (ev.options.is_volatile && !manager_.writable()) {
    // Dropped, as socket.io-client drops volatile packets it cannot write at
    // once; an ack waits for its timeout like any other unanswered ack.
    if (ev.ack_id) register_ack(*ev.ack_id, std::move(ev.ack), ev.options.timeout);
    return {};
  }
  if (!connected_ && send_buffer_.size() >= opts_.max_buffered) {
    return make_error_code(errc::sio_buffer_full);
  }
  if (ev.ack_id) register_ack(*ev.ack_id, std::move(ev.ack), ev.options.timeout);
  if (connected_) {
    send(ev.packet);
  } else {
    send_buffer_.push_back(std::move(ev));
  }
  return {};
}

void NamespaceSocket::send_ack(std::uint64_t id, const Args& args) {
  if (connected_) send(sp::encode_ack(nsp_, id, args));
}

void NamespaceSocket::send(const sp::Encoded& e) { manager_.write(e); }

void NamespaceSocket::send_connect() {
  std::optional<boost::json::object> auth = opts_.auth;
  if (!pid_.empty()) {
    // socket.io-client's {pid, offset, ...auth}: an offset only once an event came.
    boost::json::object a{{"pid", pid_}};
    if (last_offset_) a["offset"] = *last_offset_;
    if (opts_.auth)
      for (const auto& [k, v] : *opts_.auth) a[k] = v;
    auth = std::move(a);
  }
  sp::Connect c{nsp_, std::move(auth)};
  std::string text = "4";
  sp::append_text(text, sp::Packet{std::move(c)});
  manager_.write(sp::Encoded{wire::SharedBytes::copy_of(text), {}});
}

void NamespaceSocket::on_manager_open() { send_connect(); }

void NamespaceSocket::on_manager_error(const std::string& message) {
  if (!connected_ && observer_) observer_->on_connect_error(message, nullptr);
}

void NamespaceSocket::on_manager_close(const std::string& reason, const std::string& description) {
  // Never handed over: a recovering server sends them again from the same offset.
  receive_buffer_.clear();
  if (!connected_) return;
  connected_ = false;
  id_.clear();
  if (observer_) observer_->on_disconnect(reason, description);
  clear_acks();
}

void NamespaceSocket::on_packet(sp::Packet&& p) {
  if (auto* c = std::get_if<sp::Connect>(&p)) {
    const auto* sid = c->data ? c->data->if_contains("sid") : nullptr;
    const auto* pid = c->data ? c->data->if_contains("pid") : nullptr;
    if (sid && sid->is_string()) {
      on_connect(std::string(sid->get_string()), pid && pid->is_string() ? std::string(pid->get_string()) : std::string());
    } else if (observer_) {
      observer_->on_connect_error("CONNECT without a session id: not a Socket.IO v5 server", nullptr);
    }
  } else if (auto* e = std::get_if<sp::Event>(&p)) {
    if (connected_) {
      on_event(std::move(*e));
    } else {
      receive_buffer_.push_back(std::move(*e));
    }
  } else if (auto* a = std::get_if<sp::Ack>(&p)) {
    on_ack(std::move(*a));
  } else if (std::holds_alternative<sp::Disconnect>(p)) {
    const bool was_connected = std::exchange(connected_, false);
    id_.clear();
    deactivate();  // no rejoining after the server's own disconnect
    if (was_connected) {
      if (observer_) observer_->on_disconnect("io server disconnect", "");
      clear_acks();
    }
  } else if (auto* ce = std::get_if<sp::ConnectError>(&p)) {
    deactivate();
    std::string message = "connect error";
    boost::json::value data;
    if (const auto* o = ce->data.if_object()) {
      if (const auto* m = o->if_contains("message"); m && m->is_string()) message = std::string(m->get_string());
      if (const auto* d = o->if_contains("data")) data = *d;
    } else if (const auto* s = ce->data.if_string()) {
      message = std::string(*s);
    }
    if (observer_) observer_->on_connect_error(message, data);
  }
}

void NamespaceSocket::on_connect(std::string sid, std::string pid) {
  id_ = std::move(sid);
  recovered_ = !pid.empty() && pid == pid_;
  if (pid != pid_) last_offset_.reset();  // a new session: an old offset means nothing to it
  pid_ = std::move(pid);
  connected_ = true;
  // Events that came before the CONNECT answer, then what was emitted offline,
  // in order, then the user hears "connect" (as socket.io-client does).
  while (connected_ && !receive_buffer_.empty()) {
    auto e = std::move(receive_buffer_.front());
    receive_buffer_.pop_front();
    on_event(std::move(e));
  }
  while (connected_ && !send_buffer_.empty()) {
    auto ev = std::move(send_buffer_.front());
    send_buffer_.pop_front();
    send(ev.packet);
  }
  if (connected_ && observer_) observer_->on_connect();
}

void NamespaceSocket::on_event(sp::Event&& e) {
  if (e.data.empty() || !e.data[0].is_string()) return;  // the decoder guarantees a name
  const std::string name(e.data[0].get_string());
  // socket.io-client keeps the last string of the packet's data (the event
  // name when there are no arguments); the argument stays in the list.
  if (!pid_.empty() && e.data.back().is_string()) last_offset_ = std::string(e.data.back().get_string());
  Args args = sp::to_args(std::move(e.data), std::move(e.attachments), 1);
  if (observer_) observer_->on_event(name, std::move(args), e.id);
}

void NamespaceSocket::on_ack(sp::Ack&& a) {
  auto it = acks_.find(a.id);
  if (it == acks_.end()) return;  // timed out already, or never asked
  PendingAck pending = std::move(it->second);
  acks_.erase(it);
  if (pending.timer) loop_.cancel_timer(pending.timer);
  if (pending.cb) pending.cb({}, sp::to_args(std::move(a.data), std::move(a.attachments), 0));
}

void NamespaceSocket::register_ack(std::uint64_t id, AckCallback cb, std::optional<std::chrono::milliseconds> timeout) {
  PendingAck p{std::move(cb), 0};
  if (!timeout) timeout = opts_.ack_timeout;
  if (timeout) {
    p.timer = loop_.start_timer(*timeout, [this, id] {
      auto it = acks_.find(id);
      if (it == acks_.end()) return;
      it->second.timer = 0;
      // Not sent yet? Then it never will be: an answer could not be matched.
      std::erase_if(send_buffer_, [id](const OutgoingEvent& ev) { return ev.ack_id == id; });
      fail_ack(id, make_error_code(errc::sio_ack_timeout));
    });
  }
  acks_[id] = std::move(p);
}

void NamespaceSocket::fail_ack(std::uint64_t id, std::error_code ec) {
  auto it = acks_.find(id);
  if (it == acks_.end()) return;
  PendingAck pending = std::move(it->second);
  acks_.erase(it);
  if (pending.timer) loop_.cancel_timer(pending.timer);
  if (pending.cb) pending.cb(ec, {});
}

void NamespaceSocket::clear_acks() {
  // Acks of events still in the offline buffer stay: those events go out on
  // reconnection. The others can no longer be answered.
  std::vector<std::uint64_t> lost;
  for (const auto& [id, a] : acks_) {
    bool buffered = false;
    for (const auto& ev : send_buffer_) buffered = buffered || ev.ack_id == id;
    if (!buffered) lost.push_back(id);
  }
  for (auto id : lost) fail_ack(id, make_error_code(errc::sio_not_connected));
}

}  // namespace sio::client
