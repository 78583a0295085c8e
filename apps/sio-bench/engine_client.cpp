#include "engine_client.hpp"

#include "wire/eio_packet.hpp"

namespace sio::bench {

// During an upgrade the WebSocket link's packets are probe answers, not
// session traffic; after it they are the session's. This adapter tells them apart.
class EngineClient::WsSide final : public LinkOwner {
 public:
  explicit WsSide(EngineClient& e) : e_(e) {}
  void on_link_open() override { e_.on_probe_open(); }
  void on_link_packet(std::string_view p) override {
    if (e_.on_ws_) e_.on_link_packet(p);
    else e_.on_probe_packet(p);
  }
  void on_link_failed(ErrorKind k, std::string_view d) override {
    e_.fail(k, e_.on_ws_ ? d : std::string("upgrade: ") + std::string(d));
  }

 private:
  EngineClient& e_;
};

EngineClient::EngineClient(boost::asio::io_context& io, const Target& t, Transport tr, Owner& owner)
    : io_(io), target_(t), transport_(tr), owner_(owner) {}

EngineClient::~EngineClient() = default;

void EngineClient::start() {
  if (transport_ == Transport::websocket) {
    ws_ = std::make_unique<WsLink>(io_, static_cast<LinkOwner&>(*this));
    on_ws_ = true;
    ws_->start(target_, "EIO=4&transport=websocket");
  } else {
    poll_ = std::make_unique<PollLink>(io_, target_, static_cast<PollOwner&>(*this));
    poll_->start();
  }
}

void EngineClient::send(std::string_view packet) {
  if (dead_) return;
  if (on_ws_) ws_->send(packet);
  else poll_->send(packet);
}

void EngineClient::close(bool abortive) {
  if (dead_) return;
  dead_ = true;
  if (ws_) ws_->close(abortive);
  if (poll_) {
    if (open_ && !on_ws_) poll_->close_gracefully(abortive);
    else poll_->close(abortive);
  }
}

void EngineClient::fail(ErrorKind k, std::string_view detail) {
  if (dead_) return;
  dead_ = true;
  if (ws_) ws_->close();
  if (poll_) poll_->close();
  owner_.on_engine_failed(k, detail);
}

void EngineClient::on_link_open() {}

void EngineClient::on_link_packet(std::string_view p) {
  if (dead_) return;
  if (p.empty()) return fail(ErrorKind::protocol, "empty Engine.IO packet");
  switch (p[0]) {
    case '4':
      if (!open_) return fail(ErrorKind::protocol, "message before the open packet");
      owner_.on_engine_message(p.substr(1));
      return;
    case '2':  // heartbeat: answer at once on the current transport
      if (p.size() != 1) return fail(ErrorKind::protocol, "unexpected ping data");
      send("3");
      return;
    case '6':  // noop: releases a poll during an upgrade
      return;
    case '0':
      if (open_) return fail(ErrorKind::protocol, "second open packet");
      return handle_open(p.substr(1));
    case '1':
      return fail(ErrorKind::closed, "server sent an Engine.IO close packet");
    default:
      return fail(ErrorKind::protocol, "unexpected Engine.IO packet \"" + std::string(p.substr(0, 40)) + "\"");
  }
}

void EngineClient::handle_open(std::string_view json) {
  // {"sid":"...","upgrades":["websocket"],"pingInterval":25000,...}: only the
  // sid and the offered upgrades matter here.
  constexpr std::string_view key = "\"sid\":\"";
  const std::size_t at = json.find(key);
  const std::size_t end = at == std::string_view::npos ? at : json.find('"', at + key.size());
  if (end == std::string_view::npos) return fail(ErrorKind::protocol, "open packet without a sid");
  const std::string_view sid = json.substr(at + key.size(), end - at - key.size());
  open_ = true;
  if (poll_) poll_->set_sid(sid);
  if (transport_ == Transport::upgrade) {
    if (json.find("\"websocket\"") == std::string_view::npos)
      return fail(ErrorKind::protocol, "server offers no WebSocket upgrade");
    probing_ = true;
    probe_owner_ = std::make_unique<WsSide>(*this);
    ws_ = std::make_unique<WsLink>(io_, *probe_owner_);
    ws_->start(target_, "EIO=4&transport=websocket&sid=" + std::string(sid));
  }
  owner_.on_engine_open();
}

void EngineClient::on_probe_open() {
  if (!dead_) ws_->send("2probe");
}

void EngineClient::on_probe_packet(std::string_view p) {
  if (dead_) return;
  if (p != "3probe") return fail(ErrorKind::protocol, "upgrade: expected 3probe, got \"" + std::string(p.substr(0, 40)) + "\"");
  poll_->pause();  // answers in on_poll_paused once no request is in flight
}

void EngineClient::on_poll_paused() {
  if (dead_ || !probing_) return;
  probing_ = false;
  ws_->send("5");
  on_ws_ = true;
  // Whatever waited for a POST now goes over WebSocket, in order.
  const std::string queued = poll_->take_queued();
  std::string_view rest(queued);
  while (!rest.empty()) {
    const std::size_t sep = rest.find(wire::eio::kRecordSeparator);
    ws_->send(rest.substr(0, sep));
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + 1);
  }
  poll_->close();
  owner_.on_engine_settled();
}

void EngineClient::on_link_failed(ErrorKind k, std::string_view detail) { fail(k, detail); }

}  // namespace sio::bench
