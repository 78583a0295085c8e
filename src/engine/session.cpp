#include "engine/session.hpp"

#include <string>

namespace sio::engine {

namespace eio = wire::eio;

namespace {
OutMessage make_control(std::string_view text) { return {wire::SharedBytes::copy_of(text), false}; }
}  // namespace

const OutMessage& ping_packet() { static const OutMessage m = make_control("2"); return m; }
const OutMessage& pong_packet() { static const OutMessage m = make_control("3"); return m; }
const OutMessage& pong_probe_packet() { static const OutMessage m = make_control("3probe"); return m; }
const OutMessage& noop_packet() { static const OutMessage m = make_control("6"); return m; }
const OutMessage& close_packet() { static const OutMessage m = make_control("1"); return m; }

Session::Session(std::string sid, TransportKind transport, const SessionConfig& cfg, std::uint8_t protocol)
    : sid_(std::move(sid)), cfg_(cfg), transport_(transport), protocol_(protocol == 3 ? 3 : 4) {}

std::chrono::milliseconds Session::silence_allowed() const noexcept {
  return cfg_.ping_interval + cfg_.ping_timeout;
}

std::string Session::handshake_json() const {
  std::string j;
  j.reserve(128);
  j += "{\"sid\":\"";
  j += sid_;  // sids are base64url: nothing to escape
  j += "\",\"upgrades\":[";
  if (transport_ == TransportKind::polling && cfg_.allow_upgrades && cfg_.allow_websocket) j += "\"websocket\"";
  j += "],\"pingInterval\":";
  j += std::to_string(cfg_.ping_interval.count());
  j += ",\"pingTimeout\":";
  j += std::to_string(cfg_.ping_timeout.count());
  j += ",\"maxPayload\":";
  j += std::to_string(cfg_.max_payload);
  j += "}";
  return j;
}

void Session::open() {
  if (state_ != State::opening) return;
  state_ = State::open;
  std::string pkt;
  eio::append_text(pkt, eio::PacketType::open, handshake_json());
  actions_.push_back(action::Send{Slot::current, make_control(pkt)});
  // Protocol 3: the first ping is the client's; protocol 4: ours, after pingInterval.
  actions_.push_back(action::ArmTimer{Timer::heartbeat, protocol_ == 3 ? silence_allowed() : cfg_.ping_interval});
}

void Session::on_packet(Slot slot, const eio::Packet& p) {
  if (state_ != State::open) return;
  if (slot == Slot::probe) {
    on_upgrade_packet(p);
    return;
  }
  switch (p.type) {
    case eio::PacketType::message:
      actions_.push_back(action::Deliver{p.data, p.binary});
      break;
    case eio::PacketType::pong:
      if (protocol_ == 3) {  // "invalid heartbeat direction"
        closed(CloseReason::transport_error);
        break;
      }
      if (awaiting_pong_) {
        awaiting_pong_ = false;
        actions_.push_back(action::ArmTimer{Timer::heartbeat, cfg_.ping_interval});
      }
      break;
    case eio::PacketType::close:
      closed(CloseReason::transport_close);
      break;
    case eio::PacketType::ping:
      if (protocol_ == 3) {  // the client's heartbeat: answered, and the silence timer restarts
        actions_.push_back(action::Send{Slot::current, pong_packet()});
        actions_.push_back(action::ArmTimer{Timer::heartbeat, silence_allowed()});
        break;
      }
      // Protocol 4 heartbeats go from the server to the client only
      // (engine.io: "invalid heartbeat direction").
      closed(CloseReason::transport_error);
      break;
    default:  // open, upgrade, noop from a client: nothing to do (as engine.io)
      break;
  }
}

void Session::on_upgrade_packet(const eio::Packet& p) {
  if (!probing_) return;
  if (p.type == eio::PacketType::ping && p.data == "probe" && !probed_) {
    probed_ = true;
    actions_.push_back(action::Send{Slot::probe, pong_probe_packet()});
    // Releases a pending GET, so that the client can pause polling.
    actions_.push_back(action::Send{Slot::current, noop_packet(), action::Purpose::release_poll});
    return;
  }
  if (p.type == eio::PacketType::upgrade && probed_) {
    probing_ = false;
    upgraded_ = true;
    transport_ = TransportKind::websocket;
    actions_.push_back(action::CancelTimer{Timer::upgrade});
    actions_.push_back(action::Upgrade{});
    return;
  }
  // Anything else fails the upgrade; the session goes on over polling.
  probing_ = false;
  probed_ = false;
  actions_.push_back(action::CancelTimer{Timer::upgrade});
  actions_.push_back(action::CloseTransport{Slot::probe});
}

void Session::on_parse_error(Slot slot) {
  if (state_ != State::open) return;
  if (slot == Slot::probe) {
    on_transport_closed(Slot::probe, true);
    actions_.push_back(action::CloseTransport{Slot::probe});
    return;
  }
  closed(CloseReason::parse_error);
}

bool Session::can_upgrade() const noexcept {
  return state_ == State::open && !probing_ && !upgraded_ && transport_ == TransportKind::polling &&
         cfg_.allow_upgrades && cfg_.allow_websocket;
}

bool Session::begin_upgrade() {
  if (!can_upgrade()) return false;
  probing_ = true;
  probed_ = false;
  actions_.push_back(action::ArmTimer{Timer::upgrade, cfg_.upgrade_timeout});
  return true;
}

void Session::on_timer(Timer t) {
  if (state_ != State::open) return;
  if (t == Timer::upgrade) {
    if (!probing_) return;
    probing_ = false;
    probed_ = false;
    actions_.push_back(action::CloseTransport{Slot::probe});
    return;
  }
  if (awaiting_pong_ || protocol_ == 3) {  // protocol 3: no ping in time
    closed(CloseReason::ping_timeout);
    return;
  }
  awaiting_pong_ = true;
  actions_.push_back(action::Send{Slot::current, ping_packet()});
  actions_.push_back(action::ArmTimer{Timer::heartbeat, cfg_.ping_timeout});
}

void Session::on_transport_closed(Slot slot, bool error) {
  if (state_ == State::closed) return;
  if (slot == Slot::probe) {
    if (probing_) {
      probing_ = false;
      probed_ = false;
      actions_.push_back(action::CancelTimer{Timer::upgrade});
    }
    return;
  }
  closed(error ? CloseReason::transport_error : CloseReason::transport_close);
}

void Session::close(CloseReason reason) {
  if (state_ == State::closed) return;
  if (state_ == State::open) actions_.push_back(action::Send{Slot::current, close_packet(), action::Purpose::close});
  closed(reason);
}

void Session::closed(CloseReason reason) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  close_reason_ = reason;
  actions_.push_back(action::CancelTimer{Timer::heartbeat});
  if (probing_) {
    probing_ = false;
    actions_.push_back(action::CancelTimer{Timer::upgrade});
    actions_.push_back(action::CloseTransport{Slot::probe});
  }
  const bool server_closed = reason == CloseReason::forced_close || reason == CloseReason::server_shutdown;
  const bool polled = transport_ == TransportKind::polling && gets_ >= 2;
  actions_.push_back(action::CloseTransport{Slot::current, server_closed && polled});
  actions_.push_back(action::Closed{reason});
}

}  // namespace sio::engine
