// One Engine.IO connection and the namespaces it carries (socket.io's
// lib/client.ts, the one bridge between the engine and namespaces): decodes
// packets, routes them to the socket of their namespace, connects namespaces
// (middlewares, CONNECT / CONNECT_ERROR), and closes the connection on a parse
// error or when no namespace is joined within connect_timeout.
//
// Lives on the connection's loop. The engine owns a small listener that holds
// the Client; sockets hold it too, so it outlives every call into it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sio/socket.hpp>

#include "adapter/adapter.hpp"
#include "engine/connection.hpp"
#include "engine/inbound_budget.hpp"
#include "wire/sio_packet.hpp"

namespace sio::io {

class ServerCore;
class NamespaceCore;
class SocketCore;

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(ServerCore& server, engine::ConnectionPtr conn);

  // Arms the connect timeout. Once, right after construction.
  void start();

  // ---- from the engine ----
  void on_message(std::string_view data, bool binary);
  void on_close(engine::CloseReason reason);

  // ---- for sockets ----
  engine::Loop& loop() const { return conn_->loop(); }
  engine::Connection& conn() const { return *conn_; }
  // Queues an encoded packet and its attachments. False when not sent
  // (closed, or volatile and the transport is not writable).
  bool write(const wire::socketio::Encoded& e, bool volatile_, bool compress = true);
  void write_packet(const wire::socketio::Packet& p);
  // The socket left its namespace: forget it.
  void detach(SocketCore& s);
  // The peer speaks Engine.IO 3 and Socket.IO protocol 4 (socket.io-client 2.x):
  // "/" joined on open, CONNECT without a sid, namespace queries as auth.
  bool legacy() const noexcept { return conn_->protocol() == 3; }
  const std::string& engine_id() const { return conn_->id(); }
  // socket.disconnect(true): every namespace gets DISCONNECT, then the
  // connection closes.
  void disconnect_all_and_close();

  std::size_t socket_count() const { return sockets_.size(); }

 private:
  void route(wire::socketio::Packet&& p);
  void connect(const std::string& nsp, boost::json::object auth);
  // The socket is made (a restored session's, or a new one), then the
  // middlewares run (unless skipped for a recovered one), then joined().
  void admit(NamespaceCore& nsp, const std::string& name, boost::json::object auth,
             std::optional<adapter::RestoredSession> restored);
  void joined(const std::shared_ptr<SocketCore>& socket, NamespaceCore& nsp, const std::string& name,
              std::optional<Error> err);
  void connect_done(const std::string& name);  // no longer connecting
  // Every socket leaves for `reason`; then the connection closes.
  void close_with(DisconnectReason reason);
  void close_sockets(DisconnectReason reason);
  void cancel_connect_timer();
  void refuse_attachments();  // the inbound budget is spent: the connection closes
  std::vector<std::shared_ptr<SocketCore>>::iterator find(std::string_view nsp);

  // Memory per connection is a target (issue 6), so what most connections
  // never need is not held: a decoder holds state only between a binary
  // packet and its last attachment, and most clients join one namespace.
  ServerCore& server_;
  engine::ConnectionPtr conn_;
  // Set while attachments are awaited: the decoder, and what it holds
  // against the server-wide inbound budget.
  struct Partial {
    wire::socketio::Decoder decoder;
    engine::InboundBudget::Lease held;
  };
  std::unique_ptr<Partial> partial_;
  std::vector<std::shared_ptr<SocketCore>> sockets_;   // one per namespace, in connection order
  std::vector<std::string> connecting_;               // namespaces whose middlewares are running
  engine::Loop::TimerId connect_timer_ = 0;
  bool closed_ = false;
};

// What the engine holds for a connection: forwards to the Client.
class ClientListener final : public engine::Listener {
 public:
  explicit ClientListener(std::shared_ptr<Client> c) : client_(std::move(c)) {}
  // An engine that drops a session without on_close (a server destroyed
  // without stop()) still ends its sockets: they leave their rooms, their
  // handlers hear it, and the sockets <-> client references are released.
  ~ClientListener() override { client_->on_close(engine::CloseReason::forced_close); }
  void on_message(std::string_view data, bool binary) override { client_->on_message(data, binary); }
  void on_close(engine::CloseReason reason, std::string_view) override { client_->on_close(reason); }

 private:
  std::shared_ptr<Client> client_;
};

DisconnectReason disconnect_reason(engine::CloseReason r) noexcept;

}  // namespace sio::io
