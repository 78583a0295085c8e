// sio::ClientSocket, its acknowledgements, ClientEmitter: the thread-safe
// face of a namespace socket. Calls from other threads are queued to the
// loop in order; handlers run on the loop.
#include "client/client_impl.hpp"
#include "wire/sio_args.hpp"

namespace sio {

// ---- acknowledgements (sio::Ack answers once; this says where) ----

void ClientAckSlot::answer(std::shared_ptr<detail::AckSlot>, Args args) {
  auto st = socket.lock();
  if (!st) return;
  st->client->on_loop([st, id = id, args = std::move(args)]() mutable { st->send_ack(id, std::move(args)); });
}

// ---- ClientEmitter ----

ClientEmitter ClientEmitter::volatile_() const {
  ClientEmitter e = *this;
  e.volatile_flag_ = true;
  return e;
}

ClientEmitter ClientEmitter::timeout(std::chrono::milliseconds t) const {
  ClientEmitter e = *this;
  e.timeout_ = t;
  return e;
}

std::error_code ClientEmitter::emit_args(std::string_view event, Args args, AckCallback cb) const {
  return socket_->emit_impl(event, std::move(args), std::move(cb), volatile_flag_, timeout_);
}

// ---- ClientSocket ----

ClientSocket::ClientSocket(std::shared_ptr<State> s) : state_(std::move(s)) {}
ClientSocket::~ClientSocket() = default;

const std::string& ClientSocket::nsp() const noexcept { return state_->nsp; }

std::string ClientSocket::id() const {
  std::lock_guard lk(state_->mu);
  return state_->id;
}

bool ClientSocket::connected() const noexcept { return state_->connected.load(); }
bool ClientSocket::recovered() const noexcept { return state_->recovered.load(); }

template <class List, class H>
static ClientSocket& add_handler(ClientSocket& self, std::mutex& mu, List& list, H h) {
  std::lock_guard lk(mu);
  list.push_back(std::make_shared<typename List::value_type::element_type>(std::move(h)));
  return self;
}

ClientSocket& ClientSocket::on(std::string event, ClientEventHandler h) {
  std::lock_guard lk(state_->mu);
  state_->handlers[std::move(event)].push_back(std::make_shared<ClientEventHandler>(std::move(h)));
  return *this;
}

ClientSocket& ClientSocket::off(const std::string& event) {
  std::lock_guard lk(state_->mu);
  state_->handlers.erase(event);
  return *this;
}

ClientSocket& ClientSocket::on_any(ClientEventHandler h) {
  return add_handler(*this, state_->mu, state_->any_handlers, std::move(h));
}
ClientSocket& ClientSocket::on_connect(std::function<void()> h) {
  return add_handler(*this, state_->mu, state_->connect_handlers, std::move(h));
}
ClientSocket& ClientSocket::on_connect_error(std::function<void(const ConnectError&)> h) {
  return add_handler(*this, state_->mu, state_->connect_error_handlers, std::move(h));
}
ClientSocket& ClientSocket::on_disconnect(std::function<void(const std::string&)> h) {
  return add_handler(*this, state_->mu, state_->disconnect_handlers, std::move(h));
}

std::error_code ClientSocket::emit_with_ack(std::string_view event, Args args, std::chrono::milliseconds timeout,
                                            std::function<void(AckResult)> cb) {
  AckCallback ack;
  if (cb) {
    ack = [cb = std::move(cb)](std::error_code ec, Args reply) { cb(AckResult{ec, std::move(reply)}); };
  }
  return emit_impl(event, std::move(args), std::move(ack), false, timeout);
}

std::error_code ClientSocket::emit_impl(std::string_view event, Args args, AckCallback cb, bool is_volatile,
                                        std::optional<std::chrono::milliseconds> timeout) {
  auto st = state_;
  auto& im = *st->client;
  if (im.closed) return make_error_code(errc::closed);
  if (wire::socketio::is_reserved_event(event)) return make_error_code(errc::sio_bad_packet);
  client::OutgoingEvent ev;
  if (cb) ev.ack_id = st->next_ack.fetch_add(1, std::memory_order_relaxed);
  // Encoded here, on the caller's thread: the arguments are captured as they are now.
  ev.packet = wire::socketio::encode_event(st->nsp, event, args, ev.ack_id);
  ev.ack = std::move(cb);
  ev.options.is_volatile = is_volatile;
  ev.options.timeout = timeout;
  if (im.loop.in_loop_thread()) return st->emit_now(std::move(ev));
  // From another thread the offline cap is checked against the mirrors (the
  // exact check happens again on the loop; a callback then gets the error).
  if (!is_volatile && !st->connected && st->buffered + st->in_flight >= st->opts.max_buffered) {
    return make_error_code(errc::sio_buffer_full);
  }
  ++st->in_flight;
  im.loop.post([st, ev = std::move(ev)]() mutable {
    --st->in_flight;
    st->emit_now(std::move(ev));
  });
  return {};
}

void ClientSocket::connect() {
  auto st = state_;
  if (st->client->closed) return;
  st->client->on_loop([st] {
    if (st->core) st->core->connect();
  });
}

void ClientSocket::disconnect() {
  auto st = state_;
  st->client->on_loop([st] {
    if (st->core) st->core->disconnect();
  });
}

// ---- State: loop side ----

std::error_code ClientSocket::State::emit_now(client::OutgoingEvent&& ev) {
  if (!core) return make_error_code(errc::closed);
  const auto ec = core->emit(std::move(ev));
  buffered = core->buffered();
  if (ec && ev.ack) {
    auto cb = std::move(ev.ack);
    call_user("ack", [&] { cb(ec, {}); });
  }
  return ec;
}

void ClientSocket::State::send_ack(std::uint64_t ack_id, Args args) {
  if (core) core->send_ack(ack_id, args);
}

void ClientSocket::State::on_connect() {
  connected = true;
  recovered = core && core->recovered();
  buffered = core ? core->buffered() : 0;
  {
    std::lock_guard lk(mu);
    id = core ? core->id() : std::string();
  }
  decltype(connect_handlers) copy;
  {
    std::lock_guard lk(mu);
    copy = connect_handlers;
  }
  for (auto& h : copy) call_user("connect", [&] { (*h)(); });
}

void ClientSocket::State::on_connect_error(const std::string& message, const boost::json::value& data) {
  const ConnectError err{message, data};
  decltype(connect_error_handlers) copy;
  {
    std::lock_guard lk(mu);
    copy = connect_error_handlers;
  }
  for (auto& h : copy) call_user("connect_error", [&] { (*h)(err); });
}

void ClientSocket::State::on_disconnect(const std::string& reason, const std::string&) {
  connected = false;
  decltype(disconnect_handlers) copy;
  {
    std::lock_guard lk(mu);
    id.clear();
    copy = disconnect_handlers;
  }
  for (auto& h : copy) call_user("disconnect", [&] { (*h)(reason); });
}

void ClientSocket::State::on_event(const std::string& name, Args args, std::optional<std::uint64_t> ack_id) {
  Ack ack;
  if (ack_id) {
    auto slot = std::make_shared<ClientAckSlot>();
    slot->socket = weak_from_this();
    slot->id = *ack_id;
    ack = Ack(std::move(slot));
  }
  ClientEvent ev(*pub, name, std::move(args), std::move(ack));
  decltype(any_handlers) any;
  std::vector<std::shared_ptr<ClientEventHandler>> named;
  {
    std::lock_guard lk(mu);
    any = any_handlers;
    if (auto it = handlers.find(name); it != handlers.end()) named = it->second;
  }
  for (auto& h : any) call_user("on_any", [&] { (*h)(ev); });
  for (auto& h : named) call_user("event", [&] { (*h)(ev); });
}

}  // namespace sio
