#include "io/socket_core.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "io/ack_slot.hpp"
#include "io/client.hpp"
#include "io/namespace_core.hpp"
#include "wire/sio_args.hpp"
#include "wire/log_fields.hpp"
#include "wire/sio_json.hpp"

namespace sio::io {

namespace sp = wire::socketio;

namespace {

// socket.io names events by a string, or by a number that JavaScript turns
// into one ("1", "1.5").
std::string event_name(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  std::string s;
  sp::append_json(s, v);
  return s;
}

}  // namespace

SocketCore::SocketCore(std::shared_ptr<Client> client, NamespaceCore& nsp, std::string id, Handshake handshake)
    : client_(std::move(client)),
      loop_(client_->loop()),
      nsp_(nsp),
      id_(std::move(id)),
      handshake_(std::move(handshake)),
      api_(*this) {}

// Pending acks (and their timers) are gone once closed; a socket that never
// connected never had any.
SocketCore::~SocketCore() = default;

std::size_t SocketCore::loop_index() const { return loop_.index(); }

// ---------------------------------------------------------------- lifecycle

void SocketCore::set_pid(std::string pid) {
  recovery_ = std::make_unique<Recovery>();
  recovery_->pid = std::move(pid);
}

void SocketCore::recover(adapter::Session&& s) {
  set_pid(std::move(s.pid));
  recovered_ = true;
  if (!s.data.is_null()) data_ = std::make_unique<boost::json::value>(std::move(s.data));
  recovery_->restored_rooms = std::move(s.rooms);
}

void SocketCore::on_connect() {
  if (spdlog::should_log(spdlog::level::debug)) {
    wire::LogFields f{{"sid", client_->engine_id()}, {"id", id_}, {"nsp", nsp_.name()}};
    spdlog::debug("socket connected");
  }
  connected_ = true;
  nsp_.adapter().add(loop_index(), *this);
  if (recovery_ && !recovery_->restored_rooms.empty()) {
    nsp_.adapter().join(loop_index(), id_, recovery_->restored_rooms);
    recovery_->restored_rooms = {};
  }
  if (client_->legacy()) {
    client_->write_packet(sp::Connect{nsp_.name(), std::nullopt});  // protocol 4: no sid
    return;
  }
  boost::json::object data{{"sid", id_}};
  if (recovery_) data["pid"] = recovery_->pid;
  client_->write_packet(sp::Connect{nsp_.name(), std::move(data)});
}

void SocketCore::on_event(sp::Event&& e) {
  if (!connected_) return;
  auto self = shared_from_this();  // a listener may disconnect this socket
  std::string name = event_name(e.data[0]);
  Args args = sp::to_args(std::move(e.data), std::move(e.attachments), 1);
  Ack ack;
  if (e.id) {
    auto slot = std::make_shared<AckSlot>();
    slot->loop = &loop();
    slot->fn = [weak = weak_from_this(), id = *e.id](Args reply) {
      if (auto s = weak.lock()) s->send_ack(id, reply);
    };
    ack = Ack(std::move(slot));
  }
  auto ev = std::make_shared<Event>(api_, std::move(name), std::move(args), std::move(ack));
  if (!rare_) {
    dispatch_event(ev);
    return;
  }
  rare_->any.call(*ev);
  if (!rare_->middlewares || rare_->middlewares->empty()) {
    dispatch_event(ev);
    return;
  }
  run_chain<Event>(loop(), rare_->middlewares, *ev, ev, [self, ev](std::optional<Error> err) {
    if (err) {
      self->rare_->error.call(*err);
      return;
    }
    self->dispatch_event(ev);
  });
}

void SocketCore::dispatch_event(const std::shared_ptr<Event>& ev) {
  if (!connected_) return;
  listeners_.call_named(ev->name(), *ev);
}

void SocketCore::on_ack(sp::Ack&& a) {
  // late (timed out) or never asked: socket.io ignores it
  if (!rare_) return;
  auto it = rare_->acks.find(a.id);
  if (it == rare_->acks.end()) return;
  PendingAck p = std::move(it->second);
  rare_->acks.erase(it);
  if (p.timer) loop().cancel_timer(p.timer);
  p.cb({}, sp::to_args(std::move(a.data), std::move(a.attachments), 0));
}

void SocketCore::close(DisconnectReason reason) {
  if (!connected_) return;
  if (spdlog::should_log(spdlog::level::debug)) {
    wire::LogFields f{{"sid", client_->engine_id()}, {"id", id_}, {"nsp", nsp_.name()}, {"reason", to_string(reason)}};
    spdlog::debug("socket disconnected");
  }
  auto self = shared_from_this();
  if (rare_) rare_->disconnecting.call(reason);  // rooms still visible
  persist(reason);
  nsp_.adapter().remove(loop_index(), id_);
  client_->detach(*this);
  connected_ = false;
  if (rare_) {
    rare_->disconnect.call(reason);
    // Acks that can no longer come: their callbacks hear it now rather than never.
    auto pending = std::move(rare_->acks);
    rare_->acks.clear();
    for (auto& [id, p] : pending) {
      if (p.timer) loop().cancel_timer(p.timer);
      p.cb(make_error_code(errc::sio_not_connected), {});
    }
  }
  // Handlers often capture the socket; drop them with it.
  listeners_.clear();
  if (!rare_) return;
  // Not rare_.reset(): a list may be running (a listener that disconnects).
  rare_->any.clear();
  rare_->any_outgoing.clear();
  rare_->disconnecting.clear();
  rare_->disconnect.clear();
  rare_->error.clear();
  rare_->middlewares.reset();
}

// socket.io's RECOVERABLE_DISCONNECT_REASONS: the connection was lost or
// closed by the server, not left on purpose (and not a parse error).
void SocketCore::persist(DisconnectReason reason) {
  if (!recovery_ || !nsp_.recovers()) return;
  switch (reason) {
    case DisconnectReason::transport_error:
    case DisconnectReason::transport_close:
    case DisconnectReason::forced_close:
    case DisconnectReason::ping_timeout:
    case DisconnectReason::server_shutting_down:
    case DisconnectReason::forced_server_close: break;
    case DisconnectReason::client_namespace_disconnect:
    case DisconnectReason::server_namespace_disconnect:
    case DisconnectReason::parse_error: return;
  }
  const auto rooms = nsp_.adapter().rooms_of(loop_index(), id_);
  nsp_.adapter().persist_session(
      adapter::Session{id_, recovery_->pid, std::vector<std::string>(rooms.begin(), rooms.end()),
                       data_ ? *data_ : nullptr});
}

SocketCore::Rare& SocketCore::rare() {
  if (!rare_) rare_ = std::make_unique<Rare>();
  return *rare_;
}

// ---------------------------------------------------------------- emitting

void SocketCore::emit(std::string_view event, Args args, const EmitFlags& flags, AckCallback cb) {
  if (sp::is_reserved_event(event)) throw std::invalid_argument("\"" + std::string(event) + "\" is a reserved event name");
  if (!loop().in_loop_thread()) {
    loop().post([self = shared_from_this(), event = std::string(event), args = std::move(args), flags,
                 cb = std::move(cb)]() mutable { self->emit(event, std::move(args), flags, std::move(cb)); });
    return;
  }
  if (!connected_) {
    if (cb) cb(make_error_code(errc::sio_not_connected), {});
    return;
  }
  if (!cb && !flags.volatile_ && recovery_) {
    // Kept for replay, as socket.io does when recovering: the adapter stores
    // it with an offset, then delivers it (and tells the outgoing listeners).
    if (!recovery_->self) {  // made on the first emit: most idle sockets never need it
      auto self = std::make_shared<BroadcastOptions>();
      self->rooms.insert(id_);
      recovery_->self = std::move(self);
    }
    nsp_.adapter().emit_to(loop_index(), recovery_->self,
                           adapter::BroadcastPacket{nsp_.name(), std::string(event), std::move(args), std::nullopt});
    return;
  }
  std::optional<std::uint64_t> id;
  if (cb) {
    id = nsp_.next_ack_id();
    add_pending_ack(*id, std::move(cb), flags.timeout);
  }
  notify_outgoing(event, args);
  client_->write(sp::encode_event(nsp_.name(), event, args, id), flags.volatile_, flags.compress);
}

void SocketCore::send_ack(std::uint64_t id, const Args& args) {
  if (!connected_) return;
  client_->write(sp::encode_ack(nsp_.name(), id, args), false);
}

void SocketCore::add_pending_ack(std::uint64_t id, AckCallback cb, std::optional<std::chrono::milliseconds> timeout) {
  PendingAck p{std::move(cb), 0};
  if (timeout) {
    p.timer = loop().start_timer(*timeout, [weak = weak_from_this(), id] {
      if (auto s = weak.lock()) s->ack_timed_out(id);
    });
  }
  rare().acks[id] = std::move(p);
}

void SocketCore::ack_timed_out(std::uint64_t id) {
  if (!rare_) return;
  auto it = rare_->acks.find(id);
  if (it == rare_->acks.end()) return;
  AckCallback cb = std::move(it->second.cb);
  rare_->acks.erase(it);
  cb(make_error_code(errc::sio_ack_timeout), {});
}

void SocketCore::notify_outgoing(std::string_view event, const Args& args) {
  if (rare_ && !rare_->any_outgoing.empty()) rare_->any_outgoing.call(event, args);
}

// ---------------------------------------------------------------- rooms

// The rooms live in this loop's shard: from elsewhere, the change is posted.
void SocketCore::join(const std::vector<std::string>& rooms) {
  if (!loop_.in_loop_thread()) {
    loop_.post([self = shared_from_this(), rooms] { self->join(rooms); });
    return;
  }
  if (connected_) nsp_.adapter().join(loop_index(), id_, rooms);
}

void SocketCore::leave(const std::string& room) {
  if (!loop_.in_loop_thread()) {
    loop_.post([self = shared_from_this(), room] { self->leave(room); });
    return;
  }
  if (connected_) nsp_.adapter().leave(loop_index(), id_, room);
}

std::set<std::string> SocketCore::rooms() const {
  return connected_ ? nsp_.adapter().rooms_of(loop_index(), id_) : std::set<std::string>{};
}

// ---------------------------------------------------------------- listeners

ListenerId SocketCore::on(std::string event, std::function<void(Event&)> fn, bool once) {
  const ListenerId id = next_listener_id_++;
  listeners_.add(id, std::move(fn), once, std::move(event));
  return id;
}

void SocketCore::off(const std::string& event, std::optional<ListenerId> id) {
  if (id) {
    listeners_.remove(*id, &event);
  } else {
    listeners_.remove_named(event);
  }
}

ListenerId SocketCore::on_any(std::function<void(Event&)> fn) {
  const ListenerId id = next_listener_id_++;
  rare().any.add(id, std::move(fn));
  return id;
}
void SocketCore::off_any(ListenerId id) {
  if (rare_) rare_->any.remove(id);
}

ListenerId SocketCore::on_any_outgoing(std::function<void(std::string_view, const Args&)> fn) {
  const ListenerId id = next_listener_id_++;
  rare().any_outgoing.add(id, std::move(fn));
  return id;
}
void SocketCore::off_any_outgoing(ListenerId id) {
  if (rare_) rare_->any_outgoing.remove(id);
}

void SocketCore::on_disconnecting(std::function<void(DisconnectReason)> fn) {
  rare().disconnecting.add(next_listener_id_++, std::move(fn));
}
void SocketCore::on_disconnect(std::function<void(DisconnectReason)> fn) {
  rare().disconnect.add(next_listener_id_++, std::move(fn));
}
void SocketCore::on_error(std::function<void(const Error&)> fn) {
  rare().error.add(next_listener_id_++, std::move(fn));
}

void SocketCore::use(Middleware<Event> fn) {
  // copy on write: a chain that is running keeps the list it started with
  auto& current = rare().middlewares;
  auto next = current ? std::make_shared<std::vector<Middleware<Event>>>(*current)
                      : std::make_shared<std::vector<Middleware<Event>>>();
  next->push_back(std::move(fn));
  current = std::move(next);
}

// ---------------------------------------------------------------- adapter::Member

void SocketCore::deliver(const adapter::BroadcastPacket& packet, const sp::Encoded& bytes,
                         const BroadcastFlags& flags) {
  if (!connected_) return;
  notify_outgoing(packet.event, packet.args);
  client_->write(bytes, flags.volatile_, flags.compress);
}

void SocketCore::deliver_with_ack(const adapter::BroadcastPacket& packet, const sp::Encoded& bytes,
                                  const BroadcastFlags& flags, adapter::AckFn on_ack) {
  if (!connected_ || !packet.id) return;
  // The caller gathers the answers and gives up after the timeout; this entry
  // goes away then too.
  add_pending_ack(*packet.id,
                  [on_ack = std::move(on_ack)](std::error_code ec, Args reply) {
                    if (!ec) on_ack(std::move(reply));
                  },
                  flags.timeout.value_or(BroadcastOperator::kDefaultBroadcastAckTimeout));
  notify_outgoing(packet.event, packet.args);
  client_->write(bytes, flags.volatile_, flags.compress);
}

SocketInfo SocketCore::info() const {
  return SocketInfo{id_, handshake_, rooms(), data_ ? *data_ : boost::json::value()};
}

boost::json::value& SocketCore::data() {
  if (!data_) data_ = std::make_unique<boost::json::value>();
  return *data_;
}

void SocketCore::disconnect(bool close_connection) {
  if (!loop().in_loop_thread()) {
    loop().post([self = shared_from_this(), close_connection] { self->disconnect(close_connection); });
    return;
  }
  if (!connected_) return;
  if (close_connection) {
    client_->disconnect_all_and_close();
    return;
  }
  auto self = shared_from_this();
  client_->write_packet(sp::Disconnect{nsp_.name()});
  close(DisconnectReason::server_namespace_disconnect);
}

}  // namespace sio::io
