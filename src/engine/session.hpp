// The Engine.IO v4 session state machine, sans I/O: events go in, actions come
// out (sending a control packet, arming a timer, switching transports,
// delivering a message, closing). Heartbeat, upgrade and close are tested
// without sockets or clocks (tests/engine/).
//
// Heartbeat (server side, protocol 4): every pingInterval the server sends a
// ping ("2"); the client must answer "3" within pingTimeout, else the session
// closes with reason "ping timeout". One timer serves both phases.
// Protocol 3 (socket.io-client 2.x) reverses it: the client pings, the server
// answers each ping with a pong and closes the session when no ping came for
// pingInterval + pingTimeout (engine.io's). A pong from the client, or a ping
// in protocol 4, is "invalid heartbeat direction": a transport error.
//
// Upgrade (polling -> websocket): the client opens a WebSocket with the sid
// (the probe transport) and sends "2probe"; the server answers "3probe" and
// sends a noop ("6") on polling to release a pending GET; the client sends
// "5" on the WebSocket, which becomes the session's transport. No "5" within
// upgradeTimeout closes the probe transport only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <sio/config.hpp>

#include "engine/close_reason.hpp"
#include "engine/connection.hpp"
#include "wire/eio_packet.hpp"

namespace sio::engine {

enum class TransportKind : std::uint8_t { polling, websocket };
constexpr std::string_view to_string(TransportKind k) {
  return k == TransportKind::polling ? "polling" : "websocket";
}

// A session has at most two transports: the current one and, during an
// upgrade, the probe.
enum class Slot : std::uint8_t { current, probe };

enum class Timer : std::uint8_t { heartbeat, upgrade };

enum class State : std::uint8_t { opening, open, closing, closed };

namespace action {
// What a control packet is for, which a transport may act on (over polling
// the noop only releases a waiting GET, and the close packet goes out alone).
enum class Purpose : std::uint8_t { plain, release_poll, close };
struct Send { Slot slot; OutMessage msg; Purpose purpose = Purpose::plain; };  // a control packet
struct Deliver { std::string_view data; bool binary; }; // a message for the layer above
struct ArmTimer { Timer timer; std::chrono::milliseconds after; };
struct CancelTimer { Timer timer; };
struct Upgrade {};                                   // the probe becomes current; drop the old one
// Close that transport (after flushing). `linger`: the server closed a polling
// session whose peer polls; keep the session a while (pingInterval +
// pingTimeout at most) for its next polls to take what is queued and the
// close packet. A session never polled (a handshake and nothing more) has
// nobody to take them: it ends at once.
struct CloseTransport { Slot slot; bool linger = false; };
struct Closed { CloseReason reason; };               // the session is over
}  // namespace action

using Action = std::variant<action::Send, action::Deliver, action::ArmTimer, action::CancelTimer,
                            action::Upgrade, action::CloseTransport, action::Closed>;

struct SessionConfig {
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::chrono::milliseconds upgrade_timeout{10000};
  std::size_t max_payload = 1'000'000;
  bool allow_upgrades = true;
  bool allow_websocket = true;

  static SessionConfig from(const EngineOptions& o) {
    return {o.ping_interval, o.ping_timeout, o.upgrade_timeout, o.max_http_buffer_size,
            o.allow_upgrades, o.allow_websocket};
  }
};

class Session {
 public:
  // `cfg` is shared by every session of a server and must outlive them (one
  // copy per session would be ~40 bytes of every idle connection).
  // `protocol`: the Engine.IO protocol revision the client asked for, 4 or 3.
  Session(std::string sid, TransportKind transport, const SessionConfig& cfg, std::uint8_t protocol = 4);
  Session(std::string, TransportKind, SessionConfig&&, std::uint8_t = 4) = delete;  // would dangle

  std::uint8_t protocol() const noexcept { return protocol_; }

  const std::string& sid() const noexcept { return sid_; }
  State state() const noexcept { return state_; }
  TransportKind transport() const noexcept { return transport_; }
  bool upgrading() const noexcept { return probing_; }
  // The probe answered "2probe": polling is to be released with noops.
  bool probe_answered() const noexcept { return probing_ && probed_; }
  bool upgraded() const noexcept { return upgraded_; }
  // Why the session closed (valid once state() is closed).
  CloseReason close_reason() const noexcept { return close_reason_; }

  // ---- events ----
  // The handshake: queues the open packet and arms the heartbeat.
  void open();
  // A packet arrived on a transport.
  void on_packet(Slot slot, const wire::eio::Packet& p);
  // A GET arrived on the polling transport. The first one is the handshake's
  // (its response carries the open packet); from the second on, the peer
  // polls for what is sent.
  void on_poll() noexcept {
    if (gets_ < 2) ++gets_;
  }
  // A packet that does not decode arrived.
  void on_parse_error(Slot slot);
  // Would a WebSocket with this sid be accepted as an upgrade now?
  bool can_upgrade() const noexcept;
  // A WebSocket with this sid arrived to upgrade. False: refuse it.
  bool begin_upgrade();
  void on_timer(Timer t);
  // A transport went away (error: I/O error or a transport-level violation).
  void on_transport_closed(Slot slot, bool error);
  // The server closes the session (forced close or shutdown).
  void close(CloseReason reason);

  // ---- actions ----
  std::vector<Action>& actions() noexcept { return actions_; }

  // The open packet's JSON ({"sid":...}), for tests and the handshake.
  std::string handshake_json() const;

 private:
  void closed(CloseReason reason);
  // Protocol 3: the longest a client may stay without pinging.
  std::chrono::milliseconds silence_allowed() const noexcept;
  void on_upgrade_packet(const wire::eio::Packet& p);

  std::string sid_;
  const SessionConfig& cfg_;
  TransportKind transport_;
  State state_ = State::opening;
  bool awaiting_pong_ = false;
  bool probing_ = false;   // a probe transport is attached
  bool probed_ = false;    // it answered 2probe
  bool upgraded_ = false;
  std::uint8_t protocol_;  // 4, or 3 (the client pings)
  std::uint8_t gets_ = 0;  // polling GETs so far, counted up to 2 (see on_poll)
  CloseReason close_reason_ = CloseReason::transport_close;
  std::vector<Action> actions_;
};

// Control packets, allocated once and shared.
const OutMessage& ping_packet();
const OutMessage& pong_packet();
const OutMessage& pong_probe_packet();
const OutMessage& noop_packet();
const OutMessage& close_packet();

}  // namespace sio::engine
