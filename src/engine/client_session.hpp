// The client side of an Engine.IO v4 session, sans-I/O: transport events and
// user calls go in, actions come out (open a transport, poll, write, arm a
// timer, deliver a message, report the close). The network layer executes the
// actions in order and reports back; tests drive it by hand, without sockets
// or clocks.
//
// What it does, following the engine.io-client reference:
//  - handshake on the first transport (polling GET, or WebSocket + "0{...}");
//  - heartbeat: every ping is answered with a pong; no ping within
//    pingInterval + pingTimeout closes the session ("ping timeout");
//  - upgrade polling -> websocket: open a probe, "2probe" / "3probe", pause
//    polling (wait for the pending GET, released by the server's noop, and the
//    pending POST), switch, send "5", flush what waited;
//  - writes: one POST at a time (packets joined, capped by maxPayload), or
//    frames over WebSocket; messages queued meanwhile go out in order.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/close_reason.hpp"
#include "wire/eio_packet.hpp"

namespace sio::engine::client {

enum class TransportKind : std::uint8_t { polling, websocket };

std::string_view to_string(TransportKind k) noexcept;

struct SessionConfig {
  // Transports to use; the first one opens the session. Polling then
  // websocket with upgrade is engine.io-client's default.
  std::vector<TransportKind> transports{TransportKind::polling, TransportKind::websocket};
  bool upgrade = true;  // probe and upgrade to a better transport (default: on)
};

// What the server said in its open packet.
struct Handshake {
  std::string sid;
  std::vector<TransportKind> upgrades;     // those we also allow
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::size_t max_payload = 1'000'000;     // 0: no cap on a polling POST
};

using TransportId = std::uint32_t;
using TimerId = std::uint64_t;

// One Engine.IO packet to write: text packets are whole ("4hello", "3"),
// binary ones are raw message bytes.
struct OutPacket {
  std::string data;
  bool binary = false;
};

namespace act {
// Open a transport. Polling: no request yet (a Poll follows). WebSocket:
// connect, then report on_transport_open. `sid` empty: a new session.
struct OpenTransport { TransportId id; TransportKind kind; std::string sid; };
// Polling: issue one long-poll GET; its body comes back via on_poll_response.
struct Poll { TransportId id; std::string sid; };
// Polling: one POST with these packets joined. WebSocket: one frame each.
// Report on_write_done once everything is written.
struct Write { TransportId id; std::string sid; std::vector<OutPacket> packets; };
// Release a transport. graceful: tell the server (polling: POST "1";
// websocket: a close frame); otherwise just drop it. No more reports are
// expected for this id (they are ignored if they come).
struct CloseTransport { TransportId id; std::string sid; bool graceful; };
struct StartTimer { TimerId id; std::chrono::milliseconds after; };
struct CancelTimer { TimerId id; };
// --- for the layer above ---
struct Opened { Handshake handshake; };
struct Message { std::string data; bool binary; };
struct Upgraded { TransportKind to; };
struct UpgradeFailed { std::string why; };
struct Closed { CloseReason reason; std::string description; };
}  // namespace act

using Action = std::variant<act::OpenTransport, act::Poll, act::Write, act::CloseTransport,
                            act::StartTimer, act::CancelTimer, act::Opened, act::Message,
                            act::Upgraded, act::UpgradeFailed, act::Closed>;
using Actions = std::vector<Action>;

class ClientSession {
 public:
  enum class State { idle, opening, open, closing, closed };

  explicit ClientSession(SessionConfig cfg = {});

  // --- calls from above; each appends the resulting actions to `out` ---
  void open(Actions& out);
  // Queues a message ("4" + data, or binary bytes); ignored unless opening/open.
  void send(std::string_view data, bool binary, Actions& out);
  // Closes after the queued messages are written (reason: forced close).
  void close(Actions& out);

  // --- reports from the network layer ---
  void on_transport_open(TransportId id, Actions& out);              // WebSocket handshake done
  void on_packet(TransportId id, const wire::eio::Packet& p, Actions& out);  // one WebSocket message
  void on_poll_response(TransportId id, std::string_view body, Actions& out);
  void on_write_done(TransportId id, Actions& out);
  // The transport failed (error) or the peer closed it.
  void on_transport_down(TransportId id, bool error, std::string_view description, Actions& out);
  void on_timer(TimerId id, Actions& out);

  State state() const noexcept { return state_; }
  const std::string& sid() const noexcept { return hs_.sid; }
  // The transport messages go over now.
  std::optional<TransportKind> transport() const noexcept;
  // A message sent now would be written at once (volatile emits need this).
  bool writable() const noexcept;
  bool upgrading() const noexcept { return upgrading_; }
  std::size_t queued() const noexcept { return queue_.size(); }

 private:
  struct Transport {
    TransportId id = 0;
    TransportKind kind = TransportKind::polling;
    bool connected = false;  // websocket handshake done / polling handshake answered
    bool polling = false;    // a GET is outstanding
    bool writable = false;   // no write outstanding
    bool pausing = false;    // upgrade: waiting for the GET and the POST to finish
  };

  Transport make_transport(TransportKind k);
  void handle_packet(const wire::eio::Packet& p, Actions& out);
  void on_handshake(std::string_view json, Actions& out);
  void handle_probe_packet(const wire::eio::Packet& p, Actions& out);
  void start_probe(Actions& out);
  void fail_probe(std::string why, Actions& out);
  void maybe_finish_pause(Actions& out);
  void reset_ping_timer(Actions& out);
  void flush(Actions& out);
  void after_drain(Actions& out);
  void close_session(CloseReason reason, std::string description, bool graceful, Actions& out);
  bool is_current(TransportId id) const noexcept { return cur_ && cur_->id == id; }
  bool is_probe(TransportId id) const noexcept { return probe_ && probe_->id == id; }

  SessionConfig cfg_;
  State state_ = State::idle;
  Handshake hs_;
  std::optional<Transport> cur_;
  std::optional<Transport> probe_;
  bool upgrading_ = false;          // probe answered; pausing polling
  bool opened_ = false;             // Opened was reported (not when closed before the handshake)
  std::deque<OutPacket> queue_;     // written when the transport is writable
  TransportId next_transport_ = 1;
  TimerId next_timer_ = 1;
  TimerId ping_timer_ = 0;          // 0: not armed
  std::string scratch_;             // base64 decoding of polling payloads
};

}  // namespace sio::engine::client
