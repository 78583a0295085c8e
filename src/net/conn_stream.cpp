#include "net/conn_stream.hpp"

#include <array>

namespace sio::net {

using boost::asio::ip::tcp;

void ConnStream::use_tls(std::unique_ptr<TlsChannel> channel) {
  tls_ = std::make_shared<TlsState>();
  tls_->channel = std::move(channel);
}

boost::system::error_code ConnStream::tls_failure() { return boost::asio::error::connection_aborted; }

void ConnStream::pump(const StatePtr& st, tcp::socket& socket) {
  if (st->waiting) return;
  std::size_t sent = 0;
  while (sent < st->out.size()) {
    const ssize_t n = ::send(socket.native_handle(), st->out.data() + sent, st->out.size() - sent,
                             MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return fail_write(*st, {errno, boost::system::system_category()}, socket);
    }
    sent += static_cast<std::size_t>(n);
  }
  written(*st, sent, socket);
  if (st->out.empty()) return;
  st->waiting = true;
  // `socket` is not touched once the wait failed: the stream may be gone then.
  socket.async_wait(tcp::socket::wait_write, [st, &socket](boost::system::error_code ec) {
    st->waiting = false;
    if (ec) return fail_write(*st, ec, socket);
    pump(st, socket);
  });
}

void ConnStream::written(TlsState& st, std::size_t n, tcp::socket& socket) {
  if (n == st.out.size()) std::string().swap(st.out);  // idle: no buffer kept
  else st.out.erase(0, n);
  if (!st.write_done) return;
  st.user_left -= std::min(n, st.user_left);
  if (st.user_left) return;
  // The caller's bytes are out (what follows them, if anything, is ours).
  boost::asio::post(socket.get_executor(), [h = std::move(st.write_done)]() mutable { h({}, 0); });
  st.write_done = nullptr;
}

void ConnStream::fail_write(TlsState& st, boost::system::error_code ec, tcp::socket& socket) {
  std::string().swap(st.out);
  st.user_left = 0;
  if (!st.write_done) return;
  auto h = std::move(st.write_done);
  st.write_done = nullptr;
  if (ec == boost::asio::error::operation_aborted) return h(ec, 0);  // the socket may be gone: no post
  boost::asio::post(socket.get_executor(), [h = std::move(h), ec]() mutable { h(ec, 0); });
}

void ConnStream::tls_write(std::string_view data, std::function<void(boost::system::error_code, std::size_t)> done) {
  if (const std::error_code ec = tls_->channel->write(data, tls_->out)) {
    boost::asio::post(socket_.get_executor(), [h = std::move(done)]() mutable { h(tls_failure(), 0); });
    return;
  }
  tls_->user_left = tls_->out.size();
  tls_->write_done = std::move(done);
  pump(tls_, socket_);
}

ConnStream::ReadNow ConnStream::read_now(boost::asio::mutable_buffer out) {
  ReadNow r;
  const std::span<char> scratch = tls_cipher_scratch();
  std::string_view in;
  if (!tls_->channel->buffered()) {
    ssize_t got;
    do got = ::recv(socket_.native_handle(), scratch.data(), scratch.size(), MSG_DONTWAIT);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) r.again = true;
      else r.ec = {errno, boost::system::system_category()};
      return r;
    }
    if (got == 0) {
      r.ec = boost::asio::error::eof;
      return r;
    }
    in = {scratch.data(), static_cast<std::size_t>(got)};
  }
  const auto t = tls_->channel->read(in, {static_cast<char*>(out.data()), out.size()}, tls_->out);
  if (!tls_->out.empty()) pump(tls_, socket_);
  r.n = t.produced;
  if (t.ec) r.ec = tls_failure();
  else if (t.peer_closed && !t.produced) r.ec = boost::asio::error::eof;
  return r;
}

void ConnStream::close_notify() {
  if (!tls_) return;
  tls_->channel->close(tls_->out);
  pump(tls_, socket_);
}

bool ConnStream::release_tls(std::unique_ptr<TlsChannel>& out) {
  if (!tls_) return true;
  if (!tls_->out.empty()) return false;
  out = std::move(tls_->channel);
  tls_.reset();
  return true;
}

}  // namespace sio::net
