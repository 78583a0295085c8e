#include "net/session_host.hpp"

#include <cstring>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "transport/websocket.hpp"
#include "wire/base64.hpp"
#include "wire/eio3_payload.hpp"
#include "wire/eio_packet.hpp"
#include "wire/log_fields.hpp"

namespace sio::net {

namespace eio = wire::eio;
namespace eio3 = wire::eio3;
using engine::Slot;

class SessionHost::WsListener final : public WsConnection::Handler {
 public:
  WsListener(SessionHost& host, Slot slot) : host_(host), slot_(slot) {}
  void on_ws_message(std::string_view data, bool binary) override { host_.on_ws_message(slot_, data, binary); }
  void on_ws_closed(std::uint16_t, std::error_code ec) override { host_.on_ws_closed(slot_, bool(ec)); }

 private:
  SessionHost& host_;
  Slot slot_;
};

SessionHost::SessionHost(AsioLoop& loop, SessionRegistry& registry, std::string sid, engine::TransportKind kind,
                         SharedRequest request, const EngineOptions& opts, std::uint8_t protocol, bool b64)
    : loop_(loop),
      registry_(registry),
      session_(std::move(sid), kind, registry.session_config(), protocol),
      request_(std::move(request)),
      opts_(opts),
      b64_(b64) {
  if (kind == engine::TransportKind::polling) poll_ = std::make_unique<PollState>(opts.max_buffered_bytes);
}

SessionHost::~SessionHost() {
  if (ws_) ws_->detach();
  if (probe_) probe_->detach();
  if (heartbeat_timer_) loop_.cancel_timer(heartbeat_timer_);
  if (upgrade_timer_) loop_.cancel_timer(upgrade_timer_);
  if (poll_ && poll_->linger_timer) loop_.cancel_timer(poll_->linger_timer);
}

void SessionHost::open(engine::Acceptor& acceptor) {
  if (spdlog::should_log(spdlog::level::debug)) {
    wire::LogFields f{{"sid", session_.sid()},
                      {"transport", session_.transport() == engine::TransportKind::websocket ? "websocket" : "polling"}};
    spdlog::debug("session opened");
  }
  session_.open();
  run_actions();
  session_.actions().shrink_to_fit();  // an idle session keeps no action buffer
  listener_ = acceptor.on_open(shared_from_this());
}

// ---------------------------------------------------------------- actions

void SessionHost::run_actions() {
  if (running_actions_) return;  // the outer call picks up what is added
  running_actions_ = true;
  auto self = shared_from_this();  // a listener may drop the last reference
  auto& acts = session_.actions();
  for (std::size_t i = 0; i < acts.size(); ++i) {
    engine::Action a = std::move(acts[i]);
    std::visit(
        [&](auto& act) {
          using T = std::decay_t<decltype(act)>;
          if constexpr (std::is_same_v<T, engine::action::Send>) {
            send_on(act.slot, act.msg, act.purpose);
          } else if constexpr (std::is_same_v<T, engine::action::Deliver>) {
            if (listener_) listener_->on_message(act.data, act.binary);
          } else if constexpr (std::is_same_v<T, engine::action::ArmTimer>) {
            auto& id = act.timer == engine::Timer::heartbeat ? heartbeat_timer_ : upgrade_timer_;
            if (id) loop_.cancel_timer(id);
            // `this` alone (fits std::function's inline storage): the
            // destructor cancels every timer of the session.
            const engine::Timer which = act.timer;
            id = loop_.start_timer(act.after, [this, which] {
              (which == engine::Timer::heartbeat ? heartbeat_timer_ : upgrade_timer_) = 0;
              session_.on_timer(which);
              run_actions();  // holds a reference while it runs
            });
          } else if constexpr (std::is_same_v<T, engine::action::CancelTimer>) {
            auto& id = act.timer == engine::Timer::heartbeat ? heartbeat_timer_ : upgrade_timer_;
            if (id) loop_.cancel_timer(id);
            id = 0;
          } else if constexpr (std::is_same_v<T, engine::action::Upgrade>) {
            if (spdlog::should_log(spdlog::level::debug)) {
              wire::LogFields f{{"sid", session_.sid()}};
              spdlog::debug("session upgraded to websocket");
            }
            // The probe becomes the transport; what waited for a poll goes over it.
            if (ws_) ws_->detach();
            ws_ = std::move(probe_);
            // The host handles the current WebSocket itself; the probe's
            // listener (maybe on the stack now) is kept until the session ends.
            if (ws_) ws_->set_handler(this);
            if (poll_) poll_->closed = true;
            if (poll_ && poll_->pending_get) {
              auto reply = std::move(poll_->pending_get);
              poll_->pending_get = nullptr;
              poll_->queue.on_get_aborted();
              reply(PollReply{200, session_.protocol() == 3 ? "1:6" : "6"});
            }
            if (poll_ && ws_)
              for (auto& m : poll_->queue.take_queue()) ws_send(*ws_, m);
          } else if constexpr (std::is_same_v<T, engine::action::CloseTransport>) {
            close_transport(act.slot, act.linger);
          } else if constexpr (std::is_same_v<T, engine::action::Closed>) {
            if (spdlog::should_log(spdlog::level::debug)) {
              wire::LogFields f{{"sid", session_.sid()}, {"reason", engine::to_string(act.reason)}};
              spdlog::debug("session closed");
            }
            if (!poll_ || !poll_->lingering) registry_.remove(session_.sid());
            if (auto l = std::move(listener_)) l->on_close(act.reason, engine::to_string(act.reason));
          }
        },
        a);
  }
  acts.clear();
  if (acts.capacity() > 4) acts.shrink_to_fit();  // an idle session keeps little
  running_actions_ = false;
}

void SessionHost::send_on(Slot slot, const engine::OutMessage& m, engine::action::Purpose purpose) {
  if (slot == Slot::probe) {
    if (probe_) ws_send(*probe_, m);
    return;
  }
  if (session_.transport() == engine::TransportKind::websocket) {
    if (ws_) ws_send(*ws_, m);
    return;
  }
  if (!poll_ || poll_->closed) return;
  if (purpose == engine::action::Purpose::release_poll) {
    // The upgrade's noop only releases a waiting GET (engine.io sends it only
    // when the transport is writable); a GET that comes later gets its own.
    if (poll_->queue.get_pending() && poll_->queue.queued() == 0) {
      poll_->queue.push(m);
      flush_poll();
    }
    return;
  }
  if (purpose == engine::action::Purpose::close) {
    // Over polling the close packet goes out alone, after every queued
    // message has been taken (close_transport decides when).
    return;
  }
  if (!poll_->queue.push(m)) {
    // The peer does not poll: drop what waits rather than grow without bound.
    close(engine::CloseReason::transport_error);
    return;
  }
  if (poll_->queue.ready()) schedule_poll_flush();
}

void SessionHost::close_transport(Slot slot, bool linger) {
  if (slot == Slot::probe) {
    if (probe_) {
      probe_->detach();
      probe_->close();
      probe_ = nullptr;
      probe_listener_ = nullptr;
    }
    return;
  }
  if (ws_) {
    ws_->detach();
    ws_->close();
  }
  if (poll_ && session_.transport() == engine::TransportKind::polling && !poll_->closed) {
    poll_->closed = true;
    if (session_.close_reason() == engine::CloseReason::transport_close) {
      // The client closed: release a waiting GET with a noop (as engine.io).
      if (poll_->queue.get_pending() && poll_->queue.queued() == 0) poll_->queue.push(engine::noop_packet());
      flush_poll();
    } else if (linger) {
      // The server closed a session whose peer polls: what is queued goes
      // out first, then the close packet in a response of its own
      // (socket.io-client reads a payload's packets a tick apart, and would
      // see "transport close" before the DISCONNECT packets). The session
      // lingers for those polls.
      poll_->lingering = true;
      poll_->linger_timer = loop_.start_timer(opts_.ping_interval + opts_.ping_timeout, [this] {
        poll_->linger_timer = 0;
        auto self = shared_from_this();  // end_linger may drop the last reference
        end_linger();
      });
      if (poll_->queue.get_pending()) answer_lingering_get();
    } else {
      // An error, or a server close of a session that was never polled:
      // what is queued is dropped; a waiting GET learns of the close.
      poll_->queue.take_queue();
      if (poll_->queue.get_pending()) {
        poll_->queue.push(engine::close_packet());
        flush_poll();
      }
    }
  }
}

void SessionHost::answer_lingering_get() {
  if (poll_->queue.queued() == 0) {
    poll_->queue.push(engine::close_packet());
    flush_poll();
    end_linger();
    return;
  }
  flush_poll();  // the queue now; the close packet on the next poll
}

void SessionHost::end_linger() {
  if (!poll_ || !poll_->lingering) return;
  poll_->lingering = false;
  if (poll_->linger_timer) loop_.cancel_timer(poll_->linger_timer);
  poll_->linger_timer = 0;
  registry_.remove(session_.sid());
}

// ---------------------------------------------------------------- polling

void SessionHost::schedule_poll_flush() {
  if (poll_->flush_scheduled) return;
  poll_->flush_scheduled = true;
  boost::asio::post(loop_.context(), [self = shared_from_this()] {
    self->poll_->flush_scheduled = false;
    self->flush_poll();
  });
}

void SessionHost::flush_poll() {
  if (!poll_->queue.ready()) return;
  using transport::PayloadFormat;
  PayloadFormat format = PayloadFormat::v4;
  if (session_.protocol() == 3)  // a binary payload only for a client that takes binary and has some waiting
    format = !b64_ && poll_->queue.has_binary() ? PayloadFormat::v3_binary : PayloadFormat::v3_text;
  const bool compress = poll_->queue.compressible();
  std::string body = poll_->queue.take_payload(format);
  auto reply = std::move(poll_->pending_get);
  poll_->pending_get = nullptr;
  PollReply r{200, std::move(body)};
  if (format == PayloadFormat::v3_binary) r.content_type = "application/octet-stream";
  r.compress = compress;
  reply(std::move(r));
}

void SessionHost::on_poll_get(PollResponder reply) {
  session_.on_poll();
  if (!poll_ || !poll_->queue.on_get()) {
    // Two concurrent GETs: refuse the second and close the session (engine.io
    // does the same); the first one carries the close packet.
    reply(PollReply{400, "", "text/plain"});
    close(engine::CloseReason::transport_error);
    return;
  }
  poll_->pending_get = std::move(reply);
  if (poll_->lingering) {
    answer_lingering_get();
  } else if (poll_->queue.ready()) {
    schedule_poll_flush();
  } else if (session_.probe_answered()) {
    // The client is pausing polling to upgrade.
    send_on(Slot::current, engine::noop_packet(), engine::action::Purpose::release_poll);
  }
}

void SessionHost::fail_transport() {
  session_.on_transport_closed(Slot::current, true);
  run_actions();
}

void SessionHost::on_poll_get_aborted() {
  if (!poll_ || !poll_->queue.get_pending()) return;
  poll_->queue.on_get_aborted();
  poll_->pending_get = nullptr;
  session_.on_transport_closed(Slot::current, true);
  run_actions();
}

void SessionHost::on_post_begin(std::uint64_t token, PollResponder refuse) {
  if (!poll_ || (poll_->active_post && poll_->active_post != token)) {
    refuse(PollReply{400, "", "text/plain"});
    fail_transport();
    return;
  }
  poll_->active_post = token;
}

void SessionHost::on_post_aborted(std::uint64_t token) {
  if (!poll_ || poll_->active_post != token) return;
  poll_->active_post = 0;
  fail_transport();
}

void SessionHost::on_poll_post(std::uint64_t token, std::string_view body, bool octet, PollResponder reply) {
  if (!poll_ || poll_->active_post != token) {  // refused as an overlap, or the session is over
    reply(PollReply{400, "", "text/plain"});
    return;
  }
  poll_->active_post = 0;
  if (octet && session_.protocol() != 3) {  // protocol 4 sends binary as base64 text
    reply(PollReply{400, "", "text/plain"});
    fail_transport();
    return;
  }
  auto self = shared_from_this();
  if (decode_post(body, octet)) {
    session_.on_parse_error(Slot::current);
    run_actions();
  }
  reply(PollReply{200, "ok", "text/html"});
}

std::error_code SessionHost::decode_post(std::string_view body, bool octet) {
  std::string scratch;
  auto feed = [&](const eio::Packet& p) {
    session_.on_packet(Slot::current, p);
    run_actions();
  };
  if (session_.protocol() != 3) return eio::decode_payload(body, scratch, feed);
  return octet ? eio3::decode_binary_payload(body, scratch, feed) : eio3::decode_text_payload(body, scratch, feed);
}

// ---------------------------------------------------------------- websocket

void SessionHost::ws_send(WsConnection& ws, const engine::OutMessage& m) {
  if (!m.binary || session_.protocol() != 3) {
    ws.send(m.bytes, m.binary);
    return;
  }
  // Protocol 3: a binary frame carries the packet type first; a client that
  // cannot take binary gets "b4" + base64 in a text frame. One copy per
  // message for these (legacy) peers only.
  const std::string_view data = m.bytes.view();
  if (b64_) {
    std::string text = "b4";
    text.reserve(2 + wire::base64_encoded_size(data.size()));
    wire::base64_append(text, data);
    ws.send(wire::SharedBytes::copy_of(text), false);
    return;
  }
  auto framed = wire::SharedBytes::allocate(data.size() + 1);
  framed.mutable_data()[0] = static_cast<char>(eio::PacketType::message);
  if (!data.empty()) std::memcpy(framed.mutable_data() + 1, data.data(), data.size());
  ws.send(framed, true);
}

void SessionHost::open_websocket(engine::Acceptor& acceptor, std::shared_ptr<WsConnection> ws,
                                 std::string_view leftover, wire::SharedBytes preamble) {
  auto self = shared_from_this();  // the session may end on what leftover holds
  ws_ = std::move(ws);
  ws_->start(this, {}, std::move(preamble));
  open(acceptor);
  if (auto w = ws_) w->feed(leftover);
}

bool SessionHost::begin_upgrade(std::shared_ptr<WsConnection> ws, std::string_view leftover,
                                wire::SharedBytes preamble) {
  if (!session_.begin_upgrade()) return false;
  probe_ = std::move(ws);
  probe_listener_ = std::make_unique<WsListener>(*this, Slot::probe);
  auto probe = probe_;  // start() may deliver packets that end the probe
  probe->start(probe_listener_.get(), leftover, std::move(preamble));
  run_actions();
  return true;
}

void SessionHost::on_ws_message(Slot slot, std::string_view data, bool binary) {
  eio::Packet p;
  std::string scratch;  // protocol 3 "b4" + base64 only
  const bool ok = session_.protocol() != 3 ? transport::decode_websocket_message(data, binary, p)
                  : binary                 ? eio3::decode_binary_frame(data, p)
                                           : eio3::decode_item(data, scratch, p);
  if (!ok) {
    session_.on_parse_error(slot);
    run_actions();
    return;
  }
  session_.on_packet(slot, p);
  run_actions();
}

void SessionHost::on_ws_closed(Slot slot, bool error) {
  if (slot == Slot::probe) {
    probe_ = nullptr;
    probe_listener_ = nullptr;
  }
  session_.on_transport_closed(slot, error);
  run_actions();
}

// ---------------------------------------------------------------- Connection

void SessionHost::send(const engine::OutMessage& m) {
  if (closed()) return;
  send_on(Slot::current, m);
}

bool SessionHost::writable() const {
  if (closed()) return false;
  if (session_.transport() == engine::TransportKind::websocket) return ws_ && ws_->writable();
  return poll_ && poll_->queue.writable();
}

void SessionHost::close(engine::CloseReason reason) {
  session_.close(reason);
  run_actions();
}

}  // namespace sio::net
