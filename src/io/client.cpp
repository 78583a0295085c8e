#include "io/client.hpp"

#include <algorithm>

#include "io/handshake.hpp"
#include "io/middleware_chain.hpp"
#include "io/namespace_core.hpp"
#include "io/server_core.hpp"
#include "io/socket_core.hpp"
#include "wire/query.hpp"

namespace sio::io {

namespace sp = wire::socketio;

DisconnectReason disconnect_reason(engine::CloseReason r) noexcept {
  switch (r) {
    case engine::CloseReason::transport_close: return DisconnectReason::transport_close;
    case engine::CloseReason::transport_error: return DisconnectReason::transport_error;
    case engine::CloseReason::ping_timeout: return DisconnectReason::ping_timeout;
    case engine::CloseReason::forced_close: return DisconnectReason::forced_close;
    case engine::CloseReason::parse_error: return DisconnectReason::parse_error;
    case engine::CloseReason::server_shutdown: return DisconnectReason::server_shutting_down;
  }
  return DisconnectReason::transport_close;
}

Client::Client(ServerCore& server, engine::ConnectionPtr conn)
    : server_(server), conn_(std::move(conn)) {}

void Client::start() {
  const auto timeout = server_.config().connect_timeout;
  if (timeout.count() > 0) {
    connect_timer_ = loop().start_timer(timeout, [weak = weak_from_this()] {
      auto self = weak.lock();
      if (!self) return;
      self->connect_timer_ = 0;
      if (self->sockets_.empty()) self->close_with(DisconnectReason::forced_server_close);
    });
  }
  // A Socket.IO protocol 4 client never sends CONNECT for "/": it is joined
  // on open (socket.io's onconnection does the same for protocol 3).
  if (legacy()) connect("/", boost::json::object{});
}

void Client::cancel_connect_timer() {
  if (connect_timer_) loop().cancel_timer(std::exchange(connect_timer_, 0));
}

// ---------------------------------------------------------------- engine events

void Client::on_message(std::string_view data, bool binary) {
  if (closed_) return;
  std::optional<sp::Packet> p;
  std::error_code ec;
  if (partial_) {
    // An attachment, held until its packet is whole: past the server-wide
    // inbound budget the connection is closed rather than the bytes kept.
    if (!partial_->held.hold(partial_->held.bytes() + data.size())) return refuse_attachments();
    ec = partial_->decoder.feed(data, binary, p);
    if (ec || !partial_->decoder.awaiting_attachments()) partial_.reset();
  } else {
    sp::Decoder d(server_.config().max_attachments);  // stateless between packets
    ec = d.feed(data, binary, p);
    if (!ec && d.awaiting_attachments()) {
      partial_.reset(new Partial{std::move(d), {server_.config().inbound_budget, loop().index()}});
      if (!partial_->held.hold(data.size())) return refuse_attachments();
    }
  }
  if (ec) {
    close_with(DisconnectReason::parse_error);
    return;
  }
  if (p) route(std::move(*p));
}

void Client::refuse_attachments() {
  partial_.reset();
  close_with(DisconnectReason::forced_server_close);
}

std::vector<std::shared_ptr<SocketCore>>::iterator Client::find(std::string_view nsp) {
  return std::find_if(sockets_.begin(), sockets_.end(), [nsp](const auto& s) { return s->nsp().name() == nsp; });
}

void Client::on_close(engine::CloseReason reason) {
  if (closed_) return;
  auto self = shared_from_this();
  closed_ = true;
  partial_.reset();  // its attachments are not coming: their bytes go back to the budget
  cancel_connect_timer();
  close_sockets(disconnect_reason(reason));
}

void Client::route(sp::Packet&& p) {
  auto self = shared_from_this();
  const std::string nsp = sp::namespace_of(p);
  auto it = find(nsp);
  if (auto* c = std::get_if<sp::Connect>(&p)) {
    boost::json::object auth = c->data ? std::move(*c->data) : boost::json::object{};
    std::string name = nsp;
    if (legacy()) {
      // Protocol 4 carries the query in the namespace ("/admin?token=1"), and
      // the socket's auth is that query's parameters (socket.io's
      // _parseNamespace). The namespace is the path alone.
      if (const auto q = nsp.find('?'); q != std::string::npos) {
        wire::for_each_query_param(std::string_view(nsp).substr(q + 1),
                                   [&](std::string_view k, std::string_view v) { auth[k] = v; });
        name.resize(q);
      }
      it = find(name);
    }
    // one socket per namespace and connection, as socket.io
    if (it != sockets_.end() || std::find(connecting_.begin(), connecting_.end(), name) != connecting_.end()) {
      close_with(DisconnectReason::forced_server_close);
      return;
    }
    connect(name, std::move(auth));
    return;
  }
  if (it == sockets_.end() || std::holds_alternative<sp::ConnectError>(p)) {
    // a packet for a namespace this client is not in (or a CONNECT_ERROR,
    // which only servers send): socket.io closes the connection
    close_with(DisconnectReason::forced_server_close);
    return;
  }
  std::shared_ptr<SocketCore> s = *it;
  if (auto* e = std::get_if<sp::Event>(&p)) {
    s->on_event(std::move(*e));
  } else if (auto* a = std::get_if<sp::Ack>(&p)) {
    s->on_ack(std::move(*a));
  } else if (std::holds_alternative<sp::Disconnect>(p)) {
    s->close(DisconnectReason::client_namespace_disconnect);
  }
}

void Client::connect(const std::string& name, boost::json::object auth) {
  NamespaceCore* nsp = server_.resolve(name, auth);
  if (!nsp) {
    write_packet(sp::ConnectError{name, boost::json::object{{"message", "Invalid namespace"}}});
    return;
  }
  connecting_.push_back(name);
  // socket.io restores only when both are strings (the auth keeps them).
  const auto* pid = auth.if_contains("pid");
  const auto* offset = auth.if_contains("offset");
  if (nsp->recovers() && !legacy() && pid && pid->is_string() && offset && offset->is_string()) {
    std::string p(pid->get_string()), o(offset->get_string());
    auto pending = std::make_shared<boost::json::object>(std::move(auth));
    nsp->adapter().restore_session(
        p, o,
        [self = shared_from_this(), nsp, name, pending](std::optional<adapter::RestoredSession> r) {
          auto restored = std::make_shared<std::optional<adapter::RestoredSession>>(std::move(r));
          self->loop().dispatch([self, nsp, name, pending, restored] {
            self->admit(*nsp, name, std::move(*pending), std::move(*restored));
          });
        });
    return;
  }
  admit(*nsp, name, std::move(auth), std::nullopt);
}

void Client::admit(NamespaceCore& nsp, const std::string& name, boost::json::object auth,
                   std::optional<adapter::RestoredSession> restored) {
  if (closed_) {
    connect_done(name);
    // Lost again while being restored: kept for the next attempt.
    if (restored) nsp.adapter().persist_session(std::move(restored->session));
    return;
  }
  // Protocol 4 socket ids are the engine's ("/") or "<nsp>#<engine id>"; since
  // protocol 5 they are fresh (the engine id is a secret of the connection).
  std::string id = restored ? restored->session.sid
                   : !legacy() ? make_socket_id()
                   : name == "/" ? conn_->id()
                                 : name + "#" + conn_->id();
  auto socket = std::make_shared<SocketCore>(shared_from_this(), nsp, std::move(id),
                                             make_handshake(conn_->request(), std::move(auth)));
  if (restored) {
    socket->recover(std::move(restored->session));
    // What it missed goes out at once, before the CONNECT (as socket.io: its
    // client holds events until CONNECT, then hands them over in order).
    for (const auto& bytes : restored->missed) write(*bytes, false);
    restored->missed = {};
    if (server_.config().recovery.skip_middlewares) {
      joined(socket, nsp, name, std::nullopt);
      return;
    }
  } else if (nsp.recovers() && !legacy()) {
    socket->set_pid(make_private_id());
  }
  run_chain<Socket>(loop(), nsp.middlewares(), socket->api(), socket,
                    [self = shared_from_this(), socket, nsp = &nsp, name](std::optional<Error> err) {
                      self->joined(socket, *nsp, name, std::move(err));
                    });
}

void Client::connect_done(const std::string& name) {
  auto& c = connecting_;
  if (auto it = std::find(c.begin(), c.end(), name); it != c.end()) c.erase(it);
  if (c.empty()) c = std::vector<std::string>();  // its capacity too: most clients connect once
}

void Client::joined(const std::shared_ptr<SocketCore>& socket, NamespaceCore& nsp, const std::string& name,
                    std::optional<Error> err) {
  connect_done(name);
  if (closed_) return;
  if (err) {
    if (legacy()) {  // protocol 4: the error's data, else its message, as it is
      boost::json::value data = err->data.is_null() ? boost::json::value(err->message) : err->data;
      write_packet(sp::ConnectError{name, std::move(data)});
      return;
    }
    boost::json::object data{{"message", err->message}};
    if (!err->data.is_null()) data["data"] = err->data;
    write_packet(sp::ConnectError{name, std::move(data)});
    return;
  }
  auto self = shared_from_this();
  sockets_.push_back(socket);  // route() refused a second CONNECT meanwhile
  cancel_connect_timer();
  socket->on_connect();
  const auto handlers = nsp.connection_handlers();  // keep the snapshot alive while iterating
  for (const auto& handler : *handlers) handler(socket->api());
}

// ---------------------------------------------------------------- for sockets

bool Client::write(const sp::Encoded& e, bool volatile_, bool compress) {
  if (closed_ || conn_->closed()) return false;
  if (volatile_ && !conn_->writable()) return false;
  conn_->send(engine::OutMessage{e.text, false, compress});
  for (const auto& a : e.attachments) conn_->send(engine::OutMessage{a, true, compress});
  return true;
}

void Client::write_packet(const sp::Packet& p) { write(sp::encode(p), false); }

void Client::detach(SocketCore& s) {
  auto it = find(s.nsp().name());
  if (it != sockets_.end() && it->get() == &s) sockets_.erase(it);
}

void Client::disconnect_all_and_close() {
  if (closed_) return;
  auto self = shared_from_this();
  auto sockets = sockets_;
  for (auto& s : sockets) s->disconnect(false);
  close_with(DisconnectReason::forced_server_close);
}

void Client::close_sockets(DisconnectReason reason) {
  auto sockets = std::move(sockets_);
  sockets_.clear();
  for (auto& s : sockets) s->close(reason);
}

void Client::close_with(DisconnectReason reason) {
  if (closed_) return;
  auto self = shared_from_this();
  closed_ = true;
  cancel_connect_timer();
  close_sockets(reason);
  conn_->close();  // the engine's on_close that follows finds nothing left to do
}

}  // namespace sio::io
