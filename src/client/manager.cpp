#include "client/manager.hpp"

namespace sio::client {

Manager::Manager(engine::Loop& loop, net::client::EngineConnector& connector, ManagerOptions opts,
                 Backoff::Random random)
    : loop_(loop), connector_(connector), opts_(opts), backoff_(opts.backoff, std::move(random)) {}

Manager::~Manager() {
  skip_reconnect_ = true;
  cancel_timers();
  link_.reset();  // closes gracefully in the background; we hear nothing more
  sockets_.clear();
}

NamespaceSocket& Manager::socket(const std::string& nsp, const NamespaceOptions& opts) {
  auto& s = sockets_[nsp];
  if (!s) s = std::make_unique<NamespaceSocket>(*this, loop_, nsp, opts);
  return *s;
}

NamespaceSocket* Manager::find(const std::string& nsp) {
  auto it = sockets_.find(nsp);
  return it == sockets_.end() ? nullptr : it->second.get();
}

std::string_view Manager::transport_name() const {
  return link_ && state_ == State::open ? link_->transport_name() : std::string_view("none");
}

void Manager::open() {
  if (state_ != State::closed) return;
  skip_reconnect_ = false;
  if (reconnecting_) return;  // the pending attempt will open it
  open_link(false);
}

void Manager::open_link(bool reconnect_attempt) {
  decoder_.reset();
  state_ = State::opening;
  attempt_in_flight_ = reconnect_attempt;
  link_ = connector_.connect(*this);
  if (opts_.timeout.count() > 0) {
    connect_timer_ = loop_.start_timer(opts_.timeout, [this] {
      connect_timer_ = 0;
      if (state_ != State::opening) return;
      drop_link();
      on_open_failed("timeout");
    });
  }
}

void Manager::close(std::function<void()> on_finished) {
  if (on_finished) {
    if (link_) {
      link_->close(std::move(on_finished));
    } else {
      loop_.post(std::move(on_finished));
    }
  }
  skip_reconnect_ = true;
  reconnecting_ = false;
  attempt_in_flight_ = false;
  cancel_timers();
  backoff_.reset();
  if (state_ == State::closed) {
    drop_link();
    return;
  }
  on_connection_closed("forced close", "");
}

void Manager::drop_connection() {
  if (state_ != State::open || !link_) return;
  link_->close({});
  on_connection_closed("forced close", "");
}

void Manager::write(const wire::socketio::Encoded& e) {
  if (!link_ || state_ != State::open) return;
  link_->send(e.text.view().substr(1), false);  // the link adds the message type itself
  for (const auto& a : e.attachments) link_->send(a.view(), true);
}

bool Manager::writable() const { return state_ == State::open && link_ && link_->writable(); }

void Manager::shutdown(std::error_code ec, std::function<void()> on_finished) {
  shutting_down_ = true;
  for (auto& [nsp, s] : sockets_) s->shutdown(ec);
  shutting_down_ = false;
  close(std::move(on_finished));
}

void Manager::socket_inactive() {
  if (shutting_down_) return;
  for (const auto& [nsp, s] : sockets_) {
    if (s->active()) return;
  }
  close();
}

void Manager::on_open(const engine::client::Handshake&) {
  if (connect_timer_) {
    loop_.cancel_timer(connect_timer_);
    connect_timer_ = 0;
  }
  state_ = State::open;
  const bool was_attempt = std::exchange(attempt_in_flight_, false);
  if (observer_) observer_->on_transport(link_ ? link_->transport_name() : "none");
  if (observer_) observer_->on_open();
  if (state_ != State::open) return;  // closed from the handler
  for (auto& [nsp, s] : sockets_) {
    if (s->active()) s->on_manager_open();
  }
  if (was_attempt) {
    const auto attempts = backoff_.attempts();
    reconnecting_ = false;
    backoff_.reset();
    if (observer_) observer_->on_reconnect(attempts);
  }
}

void Manager::on_message(std::string_view data, bool binary) {
  std::optional<wire::socketio::Packet> p;
  if (const auto ec = decoder_.feed(data, binary, p)) {
    const std::string detail(decoder_.error_detail());
    drop_link();
    on_connection_closed("parse error", detail);
    return;
  }
  if (!p) return;  // attachments still to come
  NamespaceSocket* s = find(wire::socketio::namespace_of(*p));
  if (s && s->active()) s->on_packet(std::move(*p));
}

void Manager::on_close(engine::CloseReason reason, std::string_view description) {
  drop_link();
  const std::string why = description.empty() ? std::string(engine::to_string(reason)) : std::string(description);
  if (state_ == State::opening) {
    on_open_failed(why);
  } else if (state_ == State::open) {
    on_connection_closed(std::string(engine::to_string(reason)), std::string(description));
  }
}

void Manager::on_upgrade(engine::client::TransportKind to) {
  if (observer_) observer_->on_transport(engine::client::to_string(to));
  if (observer_) observer_->on_upgrade(engine::client::to_string(to));
}

void Manager::on_open_failed(const std::string& message) {
  if (connect_timer_) {
    loop_.cancel_timer(connect_timer_);
    connect_timer_ = 0;
  }
  state_ = State::closed;
  if (observer_) observer_->on_error(message);
  for (auto& [nsp, s] : sockets_) {
    if (s->active()) s->on_manager_error(message);
  }
  if (std::exchange(attempt_in_flight_, false)) {
    reconnecting_ = false;
    // The attempt's error first, then the next attempt (or reconnect_failed).
    if (observer_) observer_->on_reconnect_error(message);
    reconnect();
  } else if (!reconnecting_ && opts_.reconnection && backoff_.attempts() == 0) {
    reconnect();  // the very first open failed: start the reconnection loop
  }
}

void Manager::on_connection_closed(const std::string& reason, const std::string& description) {
  if (connect_timer_) {
    loop_.cancel_timer(connect_timer_);
    connect_timer_ = 0;
  }
  drop_link();
  backoff_.reset();
  state_ = State::closed;
  if (observer_) observer_->on_transport("none");
  if (observer_) observer_->on_close(reason, description);
  for (auto& [nsp, s] : sockets_) s->on_manager_close(reason, description);
  if (opts_.reconnection && !skip_reconnect_) reconnect();
}

void Manager::reconnect() {
  if (reconnecting_ || skip_reconnect_) return;
  if (backoff_.attempts() >= opts_.reconnection_attempts) {
    backoff_.reset();
    reconnecting_ = false;
    if (observer_) observer_->on_reconnect_failed();
    return;
  }
  const auto delay = backoff_.next();
  reconnecting_ = true;
  reconnect_timer_ = loop_.start_timer(delay, [this] {
    reconnect_timer_ = 0;
    if (skip_reconnect_) return;
    if (observer_) observer_->on_reconnect_attempt(backoff_.attempts());
    if (skip_reconnect_ || state_ != State::closed) return;  // closed (or opened) from the handler
    open_link(true);
  });
}

void Manager::cancel_timers() {
  if (connect_timer_) loop_.cancel_timer(std::exchange(connect_timer_, 0));
  if (reconnect_timer_) loop_.cancel_timer(std::exchange(reconnect_timer_, 0));
}

void Manager::drop_link() {
  // Moved out first: closing may re-enter us (it never calls the listener
  // after close(), but be safe).
  auto link = std::move(link_);
  link.reset();
}

}  // namespace sio::client
