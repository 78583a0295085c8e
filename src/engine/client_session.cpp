#include "engine/client_session.hpp"

#include <algorithm>
#include <utility>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "wire/base64.hpp"

namespace sio::engine::client {

using wire::eio::Packet;
using wire::eio::PacketType;

std::string_view to_string(TransportKind k) noexcept {
  return k == TransportKind::polling ? "polling" : "websocket";
}

namespace {

OutPacket text_packet(PacketType type, std::string_view data = {}) {
  OutPacket p;
  wire::eio::append_text(p.data, type, data);
  return p;
}

// Size of a packet inside a polling payload: text as is, binary as "b" + base64.
std::size_t polling_size(const OutPacket& p) {
  return p.binary ? 1 + wire::base64_encoded_size(p.data.size()) : p.data.size();
}

std::optional<TransportKind> kind_from_name(std::string_view s) {
  if (s == "polling") return TransportKind::polling;
  if (s == "websocket") return TransportKind::websocket;
  return std::nullopt;
}

}  // namespace

ClientSession::ClientSession(SessionConfig cfg) : cfg_(std::move(cfg)) {
  if (cfg_.transports.empty()) cfg_.transports.push_back(TransportKind::polling);
}

std::optional<TransportKind> ClientSession::transport() const noexcept {
  if (!cur_) return std::nullopt;
  return cur_->kind;
}

bool ClientSession::writable() const noexcept {
  return state_ == State::open && cur_ && cur_->writable && !upgrading_ && queue_.empty();
}

ClientSession::Transport ClientSession::make_transport(TransportKind k) {
  Transport t;
  t.id = next_transport_++;
  t.kind = k;
  return t;
}

void ClientSession::open(Actions& out) {
  if (state_ != State::idle) return;
  state_ = State::opening;
  cur_ = make_transport(cfg_.transports.front());
  out.push_back(act::OpenTransport{cur_->id, cur_->kind, {}});
  if (cur_->kind == TransportKind::polling) {
    // The handshake is the first GET; its answer carries the open packet.
    cur_->polling = true;
    out.push_back(act::Poll{cur_->id, {}});
  }
}

void ClientSession::send(std::string_view data, bool binary, Actions& out) {
  if (state_ != State::opening && state_ != State::open) return;
  if (binary) {
    queue_.push_back(OutPacket{std::string(data), true});
  } else {
    queue_.push_back(text_packet(PacketType::message, data));
  }
  flush(out);
}

void ClientSession::close(Actions& out) {
  if (state_ != State::opening && state_ != State::open) return;
  state_ = State::closing;
  // Closing does not wait for an upgrade in progress: the probe is dropped
  // and the close goes over the transport we have.
  if (probe_) {
    out.push_back(act::CloseTransport{probe_->id, hs_.sid, false});
    probe_.reset();
  }
  if (upgrading_) {
    upgrading_ = false;
    cur_->pausing = false;
  }
  if (queue_.empty() && cur_->writable) {
    close_session(CloseReason::forced_close, "", true, out);
  } else {
    flush(out);  // the close follows the drain (after_drain)
  }
}

void ClientSession::on_transport_open(TransportId id, Actions& out) {
  if (is_probe(id)) {
    probe_->connected = true;
    probe_->writable = false;
    out.push_back(act::Write{id, hs_.sid, {text_packet(PacketType::ping, "probe")}});
    return;
  }
  if (!is_current(id) || cur_->kind != TransportKind::websocket) return;
  // The WebSocket is up; the session opens when the server's open packet comes.
  cur_->connected = true;
  cur_->writable = true;
}

void ClientSession::on_packet(TransportId id, const Packet& p, Actions& out) {
  if (is_probe(id)) {
    handle_probe_packet(p, out);
  } else if (is_current(id)) {
    handle_packet(p, out);
  }
}

void ClientSession::on_poll_response(TransportId id, std::string_view body, Actions& out) {
  if (!is_current(id) || cur_->kind != TransportKind::polling) return;
  cur_->polling = false;
  bool stop = false;
  const auto ec = wire::eio::decode_payload(body, scratch_, [&](const Packet& p) {
    if (stop) return;
    if (p.type == PacketType::close) {
      // The server ends the session over polling with a close packet.
      stop = true;
      close_session(CloseReason::transport_close, "transport closed by the server", false, out);
      return;
    }
    handle_packet(p, out);
    if (!cur_ || !is_current(id)) stop = true;  // closed or switched while handling
  });
  if (stop || state_ == State::closed || !is_current(id)) return;
  if (ec) {
    close_session(CloseReason::parse_error, "bad polling payload", false, out);
    return;
  }
  if (hs_.sid.empty()) {
    // The handshake's answer without an open packet: no GET would follow it.
    close_session(CloseReason::parse_error, "bad handshake", false, out);
    return;
  }
  if (cur_->pausing) {
    maybe_finish_pause(out);
  } else if (state_ == State::open || state_ == State::closing) {
    cur_->polling = true;
    out.push_back(act::Poll{id, hs_.sid});
  }
}

void ClientSession::on_write_done(TransportId id, Actions& out) {
  if (is_probe(id)) {
    probe_->writable = true;
    return;
  }
  if (!is_current(id)) return;
  cur_->writable = true;
  if (cur_->pausing) {
    maybe_finish_pause(out);
    return;
  }
  after_drain(out);
}

void ClientSession::on_transport_down(TransportId id, bool error, std::string_view description,
                                      Actions& out) {
  if (is_probe(id)) {
    fail_probe(std::string(error ? "probe error: " : "probe closed: ") + std::string(description), out);
    return;
  }
  if (!is_current(id)) return;
  close_session(error ? CloseReason::transport_error : CloseReason::transport_close,
                std::string(description), false, out);
}

void ClientSession::on_timer(TimerId id, Actions& out) {
  if (id == 0 || id != ping_timer_) return;
  ping_timer_ = 0;
  close_session(CloseReason::ping_timeout, "", false, out);
}

void ClientSession::handle_packet(const Packet& p, Actions& out) {
  if (state_ != State::opening && state_ != State::open && state_ != State::closing) return;
  switch (p.type) {
    case PacketType::open:
      // Also while closing before any handshake: the answer names the session to end.
      if (state_ == State::opening || (state_ == State::closing && hs_.sid.empty())) on_handshake(p.data, out);
      break;
    case PacketType::ping:
      // Answer through the queue, so a pong never overtakes a pending POST
      // (the server refuses overlapping POSTs) nor goes out while paused.
      queue_.push_back(text_packet(PacketType::pong, p.data));
      reset_ping_timer(out);
      flush(out);
      break;
    case PacketType::message:
      if (opened_ && (state_ == State::open || state_ == State::closing)) {
        out.push_back(act::Message{std::string(p.data), p.binary});
      }
      break;
    case PacketType::close:
      close_session(CloseReason::transport_close, "transport closed by the server", false, out);
      break;
    default:  // pong, upgrade, noop: nothing to do
      break;
  }
}

void ClientSession::on_handshake(std::string_view json, Actions& out) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(json, ec);
  const auto* obj = ec ? nullptr : v.if_object();
  const auto* sid = obj ? obj->if_contains("sid") : nullptr;
  if (!sid || !sid->is_string() || sid->get_string().empty()) {
    close_session(CloseReason::parse_error, "bad handshake", false, out);
    return;
  }
  Handshake hs;
  hs.sid = std::string(sid->get_string());
  auto number = [&](const char* key, std::int64_t fallback) -> std::int64_t {
    const auto* x = obj->if_contains(key);
    if (x && x->is_int64() && x->get_int64() >= 0) return x->get_int64();
    if (x && x->is_uint64()) return static_cast<std::int64_t>(x->get_uint64());
    return fallback;
  };
  hs.ping_interval = std::chrono::milliseconds(number("pingInterval", 25000));
  hs.ping_timeout = std::chrono::milliseconds(number("pingTimeout", 20000));
  hs.max_payload = static_cast<std::size_t>(number("maxPayload", 0));
  if (const auto* ups = obj->if_contains("upgrades"); ups && ups->is_array()) {
    for (const auto& u : ups->get_array()) {
      if (!u.is_string()) continue;
      const auto k = kind_from_name(u.get_string());
      if (k && std::find(cfg_.transports.begin(), cfg_.transports.end(), *k) != cfg_.transports.end()) {
        hs.upgrades.push_back(*k);
      }
    }
  }
  hs_ = hs;
  cur_->connected = true;
  cur_->writable = true;
  if (state_ == State::closing) {
    // close() came first: no session for the layer above, only what was
    // queued and the goodbye (rather than polling for another handshake).
    after_drain(out);
    return;
  }
  state_ = State::open;
  opened_ = true;
  out.push_back(act::Opened{hs});
  flush(out);
  reset_ping_timer(out);
  if (cfg_.upgrade && cur_->kind == TransportKind::polling &&
      std::find(hs_.upgrades.begin(), hs_.upgrades.end(), TransportKind::websocket) != hs_.upgrades.end()) {
    start_probe(out);
  }
}

void ClientSession::start_probe(Actions& out) {
  probe_ = make_transport(TransportKind::websocket);
  out.push_back(act::OpenTransport{probe_->id, probe_->kind, hs_.sid});
}

void ClientSession::handle_probe_packet(const Packet& p, Actions& out) {
  if (state_ != State::open) return;
  if (upgrading_) return;  // already switching; nothing else is expected on the probe
  if (p.type != PacketType::pong || p.data != "probe") {
    fail_probe("probe error", out);
    return;
  }
  upgrading_ = true;
  cur_->pausing = true;
  maybe_finish_pause(out);
}

void ClientSession::fail_probe(std::string why, Actions& out) {
  if (!probe_) return;
  out.push_back(act::CloseTransport{probe_->id, hs_.sid, false});
  probe_.reset();
  out.push_back(act::UpgradeFailed{std::move(why)});
  if (upgrading_) {
    // Resume polling where the pause left it.
    upgrading_ = false;
    cur_->pausing = false;
    if (!cur_->polling && (state_ == State::open || state_ == State::closing)) {
      cur_->polling = true;
      out.push_back(act::Poll{cur_->id, hs_.sid});
    }
    after_drain(out);
  }
}

void ClientSession::maybe_finish_pause(Actions& out) {
  if (!cur_->pausing || cur_->polling || !cur_->writable || !probe_) return;
  // Polling is quiet: switch to the probe, announce the upgrade first, then
  // whatever waited in the queue.
  out.push_back(act::CloseTransport{cur_->id, hs_.sid, false});
  cur_ = *probe_;
  cur_->writable = true;
  probe_.reset();
  upgrading_ = false;
  queue_.push_front(text_packet(PacketType::upgrade));
  out.push_back(act::Upgraded{cur_->kind});
  flush(out);
}

void ClientSession::reset_ping_timer(Actions& out) {
  if (ping_timer_ != 0) out.push_back(act::CancelTimer{ping_timer_});
  ping_timer_ = next_timer_++;
  out.push_back(act::StartTimer{ping_timer_, hs_.ping_interval + hs_.ping_timeout});
}

void ClientSession::flush(Actions& out) {
  if (state_ != State::open && state_ != State::closing) return;
  if (!cur_ || !cur_->writable || upgrading_ || queue_.empty()) return;
  act::Write w{cur_->id, hs_.sid, {}};
  if (cur_->kind == TransportKind::polling && hs_.max_payload > 0) {
    // One POST carries as many packets as fit in maxPayload (at least one).
    std::size_t size = 0;
    while (!queue_.empty()) {
      const std::size_t add = polling_size(queue_.front()) + (w.packets.empty() ? 0 : 1);
      if (!w.packets.empty() && size + add > hs_.max_payload) break;
      size += add;
      w.packets.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  } else {
    w.packets.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  cur_->writable = false;
  out.push_back(std::move(w));
}

void ClientSession::after_drain(Actions& out) {
  if (!queue_.empty()) {
    flush(out);
  } else if (state_ == State::closing && cur_ && cur_->writable) {
    close_session(CloseReason::forced_close, "", true, out);
  }
}

void ClientSession::close_session(CloseReason reason, std::string description, bool graceful,
                                  Actions& out) {
  if (state_ != State::opening && state_ != State::open && state_ != State::closing) return;
  if (ping_timer_ != 0) {
    out.push_back(act::CancelTimer{ping_timer_});
    ping_timer_ = 0;
  }
  if (probe_) {
    out.push_back(act::CloseTransport{probe_->id, hs_.sid, false});
    probe_.reset();
  }
  if (cur_) {
    // A graceful close needs a session to name (polling) or an open socket.
    const bool tell = graceful && cur_->connected && !hs_.sid.empty();
    out.push_back(act::CloseTransport{cur_->id, hs_.sid, tell});
    cur_.reset();
  }
  upgrading_ = false;
  state_ = State::closed;
  queue_.clear();
  out.push_back(act::Closed{reason, std::move(description)});
}

}  // namespace sio::engine::client
