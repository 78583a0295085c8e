// sio::BroadcastOperator and sio::RemoteSocket (include/sio/broadcast.hpp,
// include/sio/remote_socket.hpp): options built up immutably, then handed to
// the namespace's adapter (or, on a parent namespace, to every child's).
#include <sio/broadcast.hpp>
#include <sio/remote_socket.hpp>

#include <stdexcept>

#include "io/broadcast_acks.hpp"
#include "io/namespace_core.hpp"
#include "io/server_core.hpp"
#include "wire/sio_packet.hpp"

namespace sio {

namespace {

// The namespaces an operation reaches: a parent namespace's children, or itself.
std::vector<io::NamespaceCore*> targets(io::NamespaceCore& nsp) {
  if (nsp.is_parent()) return nsp.children();
  return {&nsp};
}

}  // namespace

BroadcastOperator BroadcastOperator::to(std::string_view room) const {
  BroadcastOptions o = opts_;
  o.rooms.emplace(room);
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::to(std::initializer_list<std::string_view> rooms) const {
  BroadcastOptions o = opts_;
  for (auto r : rooms) o.rooms.emplace(r);
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::to(const std::vector<std::string>& rooms) const {
  BroadcastOptions o = opts_;
  o.rooms.insert(rooms.begin(), rooms.end());
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::except(std::string_view room) const {
  BroadcastOptions o = opts_;
  o.except.emplace(room);
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::except(std::initializer_list<std::string_view> rooms) const {
  BroadcastOptions o = opts_;
  for (auto r : rooms) o.except.emplace(r);
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::except(const std::vector<std::string>& rooms) const {
  BroadcastOptions o = opts_;
  o.except.insert(rooms.begin(), rooms.end());
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::local() const {
  BroadcastOptions o = opts_;
  o.flags.local = true;
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::volatile_() const {
  BroadcastOptions o = opts_;
  o.flags.volatile_ = true;
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::compress(bool on) const {
  BroadcastOptions o = opts_;
  o.flags.compress = on;
  return {*nsp_, std::move(o)};
}
BroadcastOperator BroadcastOperator::timeout(std::chrono::milliseconds t) const {
  BroadcastOptions o = opts_;
  o.flags.timeout = t;
  return {*nsp_, std::move(o)};
}

void BroadcastOperator::emit_args(std::string_view event, Args args, BroadcastAckCallback cb) const {
  if (wire::socketio::is_reserved_event(event))
    throw std::invalid_argument("\"" + std::string(event) + "\" is a reserved event name");
  if (!cb) {
    for (auto* nsp : targets(*nsp_))
      nsp->adapter().broadcast(adapter::BroadcastPacket{nsp->name(), std::string(event), args, std::nullopt}, opts_);
    return;
  }
  if (nsp_->is_parent()) throw std::logic_error("acknowledgements are not supported on parent namespaces");
  BroadcastOptions opts = opts_;
  if (!opts.flags.timeout) opts.flags.timeout = kDefaultBroadcastAckTimeout;
  auto acks = io::BroadcastAcks::start(nsp_->server().home_loop(), *opts.flags.timeout, std::move(cb));
  auto& adapter = nsp_->adapter();
  adapter.broadcast_with_ack(
      adapter::BroadcastPacket{nsp_->name(), std::string(event), std::move(args), nsp_->next_ack_id()}, opts,
      [acks](std::size_t n) { acks->client_count(n); }, [acks](Args reply) { acks->reply(std::move(reply)); });
  adapter.server_count([acks](std::size_t n) { acks->server_count(n); });
}

void BroadcastOperator::fetch_sockets(FetchSocketsCallback cb) const {
  engine::Loop& home = nsp_->server().home_loop();
  if (nsp_->is_parent()) {
    // socket.io: "fetchSockets() is not supported on parent namespaces"
    home.dispatch([cb = std::move(cb)] { cb(make_error_code(errc::operation_aborted), {}); });
    return;
  }
  nsp_->adapter().fetch_sockets(opts_, [&home, nsp = nsp_, cb = std::move(cb)](std::error_code ec,
                                                                              std::vector<SocketInfo> infos) mutable {
    home.dispatch([nsp, cb = std::move(cb), ec, infos = std::move(infos)]() mutable {
      std::vector<RemoteSocket> sockets;
      sockets.reserve(infos.size());
      for (auto& i : infos) sockets.emplace_back(*nsp, std::move(i));
      cb(ec, std::move(sockets));
    });
  });
}

void BroadcastOperator::sockets_join(std::vector<std::string> rooms) const {
  for (auto* nsp : targets(*nsp_)) nsp->adapter().add_sockets(opts_, rooms);
}

void BroadcastOperator::sockets_leave(std::vector<std::string> rooms) const {
  for (auto* nsp : targets(*nsp_)) nsp->adapter().del_sockets(opts_, rooms);
}

void BroadcastOperator::disconnect_sockets(bool close) const {
  for (auto* nsp : targets(*nsp_)) nsp->adapter().disconnect_sockets(opts_, close);
}

// ---------------------------------------------------------------- RemoteSocket

void RemoteSocket::emit_args(std::string_view event, Args args, AckCallback cb) const {
  BroadcastOptions opts;
  opts.rooms.insert(info_.id);
  opts.flags.expect_single_response = true;
  BroadcastOperator op(*nsp_, std::move(opts));
  if (!cb) {
    op.emit_args(event, std::move(args));
    return;
  }
  op.timeout(ack_timeout_).emit_args(event, std::move(args),
                                     [cb = std::move(cb)](std::error_code ec, std::vector<Args> replies) {
                                       if (!ec && replies.empty()) ec = make_error_code(errc::sio_not_connected);
                                       cb(ec, replies.empty() ? Args{} : std::move(replies.front()));
                                     });
}

void RemoteSocket::join(std::string_view room) const { BroadcastOperator(*nsp_, {}).to(info_.id).sockets_join(room); }
void RemoteSocket::leave(std::string_view room) const { BroadcastOperator(*nsp_, {}).to(info_.id).sockets_leave(room); }
void RemoteSocket::disconnect(bool close) const { BroadcastOperator(*nsp_, {}).to(info_.id).disconnect_sockets(close); }

}  // namespace sio
