// Runs one Engine.IO session on its loop: drives engine::Session (the sans-I/O
// state machine) with real transports and timers, and is the engine::Connection
// that the layer above holds.
//
// Polling: outgoing messages wait in a queue until a GET is pending; then all
// of them go out in one payload. WebSocket: messages go straight to the
// connection's write queue (one writev per loop turn).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/admission.hpp"
#include "engine/connection.hpp"
#include "engine/session.hpp"
#include "net/loop.hpp"
#include "net/ws_connection.hpp"
#include "transport/polling.hpp"

namespace sio::net {

struct PollReply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=UTF-8";
  bool compress = false;  // may be HTTP-compressed (EngineOptions::http_compression)
};
// Answers a polling request; called once, on the session's loop.
using PollResponder = std::function<void(PollReply)>;

class SessionRegistry;

class SessionHost final : public engine::Connection,
                          public std::enable_shared_from_this<SessionHost>,
                          private WsConnection::Handler {
 public:
  // `protocol`: 4, or 3 (allow_eio3); `b64`: a protocol 3 client that cannot
  // take binary (the "b64" query): binary goes to it as "b4" + base64 text.
  SessionHost(AsioLoop& loop, SessionRegistry& registry, std::string sid, engine::TransportKind kind,
              SharedRequest request, const EngineOptions& opts, std::uint8_t protocol = 4, bool b64 = false);
  ~SessionHost() override;

  // Opens the session (the open packet goes out) and hands it to the acceptor.
  void open(engine::Acceptor& acceptor);

  // ---- polling ----
  void on_poll_get(PollResponder reply);
  void on_poll_get_aborted();
  // The polling transport failed (a refused POST): the session ends with
  // "transport error".
  void fail_transport();
  // A POST's headers arrived (its body may still be on the way). A second
  // POST while one is active is refused through `refuse` and ends the session.
  void on_post_begin(std::uint64_t token, PollResponder refuse);
  // The POST's body, whole. Answers through `reply`.
  // `octet`: sent as application/octet-stream (a protocol 3 binary payload).
  void on_poll_post(std::uint64_t token, std::string_view body, bool octet, PollResponder reply);
  // The POST's connection went away before its body was whole.
  void on_post_aborted(std::uint64_t token);

  // ---- websocket ----
  // A direct WebSocket session: starts `ws` (writing `preamble`, the 101,
  // first), opens the session (its open packet next), then reads `leftover`,
  // the messages that came with the upgrade request, as the open session's.
  void open_websocket(engine::Acceptor& acceptor, std::shared_ptr<WsConnection> ws, std::string_view leftover,
                      wire::SharedBytes preamble);
  // A WebSocket that upgrades this polling session. False: refused (nothing started).
  bool begin_upgrade(std::shared_ptr<WsConnection> ws, std::string_view leftover, wire::SharedBytes preamble);

  // ---- engine::Connection ----
  const std::string& id() const override { return session_.sid(); }
  const SharedRequest& request() const override { return request_; }
  std::string_view transport_name() const override { return engine::to_string(session_.transport()); }
  std::uint8_t protocol() const override { return session_.protocol(); }
  engine::Loop& loop() override { return loop_; }
  void send(const engine::OutMessage& m) override;
  bool writable() const override;
  void close() override { close(engine::CloseReason::forced_close); }
  bool closed() const override { return session_.state() == engine::State::closed; }
  bool can_upgrade() const { return session_.can_upgrade(); }

  void close(engine::CloseReason reason);
  engine::TransportKind transport() const { return session_.transport(); }

 private:
  class WsListener;  // routes the probe's events to the session (slot: probe)
  // WsConnection::Handler, for the current transport's WebSocket.
  void on_ws_message(std::string_view data, bool binary) override { on_ws_message(engine::Slot::current, data, binary); }
  void on_ws_closed(std::uint16_t, std::error_code ec) override { on_ws_closed(engine::Slot::current, bool(ec)); }

  void run_actions();
  void send_on(engine::Slot slot, const engine::OutMessage& m,
               engine::action::Purpose purpose = engine::action::Purpose::plain);
  void schedule_poll_flush();
  void flush_poll();
  void close_transport(engine::Slot slot, bool linger);
  void answer_lingering_get();
  void end_linger();
  void on_ws_message(engine::Slot slot, std::string_view data, bool binary);
  void on_ws_closed(engine::Slot slot, bool error);
  // Writes a message to a WebSocket in the session's protocol.
  void ws_send(WsConnection& ws, const engine::OutMessage& m);
  // Decodes a polling POST's body in the session's protocol, feeding the session.
  std::error_code decode_post(std::string_view body, bool octet);

  AsioLoop& loop_;
  SessionRegistry& registry_;
  engine::Session session_;
  SharedRequest request_;  // the handshake request, shared with the sockets' handshakes
  const EngineOptions& opts_;
  std::unique_ptr<engine::Listener> listener_;

  // Polling state, for sessions that start on polling (a direct WebSocket
  // session has none: it would be ~100 bytes per idle connection).
  struct PollState {
    explicit PollState(std::size_t max_buffered) : queue(max_buffered) {}
    transport::Polling queue;
    PollResponder pending_get;          // answers the GET that `queue` says is pending
    engine::Loop::TimerId linger_timer = 0;
    std::uint64_t active_post = 0;      // the POST whose body is arriving
    bool flush_scheduled = false;
    bool closed = false;                // after an upgrade or close: answer "1"/refuse
    bool lingering = false;             // closed by the server; polls still take what is queued
  };
  std::unique_ptr<PollState> poll_;

  // websocket: the current one and, during an upgrade, the probe
  std::shared_ptr<WsConnection> ws_;
  std::shared_ptr<WsConnection> probe_;
  std::unique_ptr<WsListener> probe_listener_;

  engine::Loop::TimerId heartbeat_timer_ = 0;
  engine::Loop::TimerId upgrade_timer_ = 0;
  bool running_actions_ = false;
  bool b64_ = false;  // protocol 3 only: binary as "b4" + base64
};

// The sessions of one loop, by sid. Loop thread only.
class SessionRegistry {
 public:
  explicit SessionRegistry(const EngineOptions& opts, engine::Admission* admission = nullptr)
      : session_config_(engine::SessionConfig::from(opts)), admission_(admission) {}
  ~SessionRegistry() {
    for (const auto& [sid, address] : admitted_) admission_->release(address, engine::Admission::Clock::now());
  }
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;
  // What every session of this loop runs with (referenced, not copied, by each).
  const engine::SessionConfig& session_config() const noexcept { return session_config_; }

  std::shared_ptr<SessionHost> find(std::string_view sid) const {
    auto it = sessions_.find(sid);
    return it == sessions_.end() ? nullptr : it->second;
  }
  void add(const std::shared_ptr<SessionHost>& s) { sessions_.emplace(s->id(), s); }
  // `s`, admitted for `address` (engine::Admission): its place is given back
  // when it is removed.
  void add(const std::shared_ptr<SessionHost>& s, std::string address) {
    add(s);
    admitted_.emplace(s->id(), std::move(address));
  }
  void remove(std::string_view sid) {
    if (!admitted_.empty()) {
      if (auto it = admitted_.find(std::string(sid)); it != admitted_.end()) {
        admission_->release(it->second, engine::Admission::Clock::now());
        admitted_.erase(it);
      }
    }
    sessions_.erase(sid);
  }
  std::vector<std::shared_ptr<SessionHost>> all() const {
    std::vector<std::shared_ptr<SessionHost>> v;
    v.reserve(sessions_.size());
    for (auto& [k, s] : sessions_) v.push_back(s);
    return v;
  }
  std::size_t size() const { return sessions_.size(); }

 private:
  // Keyed by a view of the session's own sid (it never changes while the
  // session is registered): no second copy of the sid per session.
  std::unordered_map<std::string_view, std::shared_ptr<SessionHost>> sessions_;
  engine::SessionConfig session_config_;
  engine::Admission* admission_;
  // The client address of each admitted session (only with limits set).
  std::unordered_map<std::string, std::string> admitted_;
};

}  // namespace sio::net
