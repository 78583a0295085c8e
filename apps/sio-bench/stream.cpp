#include "stream.hpp"

#include <cstring>

#include <boost/asio/error.hpp>
#include <boost/asio/socket_base.hpp>

namespace sio::bench {

namespace asio = boost::asio;
using boost::system::error_code;

void Stream::connect(const asio::ip::tcp::endpoint& ep, bool no_delay, const net::SslCtxPtr& tls) {
  if (tls) tls_ = std::make_unique<net::TlsChannel>(tls, net::TlsChannel::Role::client);
  socket_.async_connect(ep, [self = shared_from_this(), no_delay](error_code ec) {
    if (!self->handler_) return;
    if (ec) return self->broken(ec);
    error_code ignored;
    if (no_delay) self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    self->socket_.non_blocking(true, ignored);  // write_some / read_some below never block
    self->connected_ = true;
    self->in_ = std::make_unique<char[]>(kReadBuffer);
    if (self->tls_) {
      self->tls_->start(self->out_);  // the handler hears on_connected after the handshake
    } else {
      self->handler_->on_connected(*self);
      if (!self->handler_) return;
    }
    self->flush();
    if (self->handler_) self->read();
  });
}

void Stream::announce_connected() {
  in_read_ = true;
  handler_->on_connected(*this);
  in_read_ = false;
}

void Stream::write(std::string_view bytes) {
  if (tls_) plain_.append(bytes);
  else out_.append(bytes);
  if (!in_read_) flush();
}

void Stream::close(bool abortive) {
  handler_ = nullptr;
  error_code ignored;
  if (abortive && socket_.is_open()) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
  connected_ = false;
  // in_ stays until the stream is destroyed: a read in progress still owns it.
  std::string().swap(out_);
}

void Stream::broken(error_code ec) {
  Handler* h = handler_;
  close();
  // The handler sees an empty code for an orderly end (EOF).
  if (h) h->on_closed(*this, ec == asio::error::eof ? std::error_code() : std::error_code(ec));
}

void Stream::read() {
  if (tls_) {
    socket_.async_wait(asio::ip::tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
      if (!self->handler_) return;
      if (ec) return self->broken(ec);
      self->on_tls_readable();
    });
    return;
  }
  socket_.async_read_some(asio::buffer(in_.get() + kept_, kReadBuffer - kept_),
                          [self = shared_from_this()](error_code ec, std::size_t n) {
                            if (!self->handler_) return;
                            if (ec) return self->broken(ec);
                            self->on_read(n);
                          });
}

void Stream::on_read(std::size_t n) {
  for (;;) {
    const bool filled = kept_ + n == kReadBuffer;
    if (!deliver(n)) return;
    flush();
    if (!handler_) return;
    if (!filled) break;
    // The buffer was full: more may be waiting; take it now.
    error_code ec;
    n = socket_.read_some(asio::buffer(in_.get() + kept_, kReadBuffer - kept_), ec);
    if (ec == asio::error::would_block) break;
    if (ec) return broken(ec);
  }
  read();
}

void Stream::on_tls_readable() {
  const std::span<char> scratch = net::tls_cipher_scratch();
  for (;;) {
    std::string_view in;
    if (!tls_->buffered()) {
      error_code ec;
      const std::size_t n = socket_.read_some(asio::buffer(scratch.data(), scratch.size()), ec);
      if (ec == asio::error::would_block) break;
      if (ec) return broken(ec);
      in = {scratch.data(), n};
    }
    const bool was_done = tls_->handshake_done();
    const auto r = tls_->read(in, std::span<char>(in_.get() + kept_, kReadBuffer - kept_), out_);
    if (r.ec) return broken(asio::error::connection_aborted);
    if (!was_done && tls_->handshake_done()) {
      announce_connected();
      if (!handler_) return;
    }
    if (r.produced && !deliver(r.produced)) return;
    flush();
    if (!handler_) return;
    if (r.peer_closed) return broken(asio::error::eof);
  }
  read();
}

bool Stream::deliver(std::size_t n) {
  const std::size_t total = kept_ + n;
  in_read_ = true;
  const std::size_t used = handler_->on_data(*this, std::span<char>(in_.get(), total));
  in_read_ = false;
  if (!handler_) return false;
  kept_ = total - used;
  if (kept_ == kReadBuffer) {
    // Nothing consumed from a full buffer: no handler of ours does that (a
    // frame header or an HTTP head fits many times over).
    broken(asio::error::no_buffer_space);
    return false;
  }
  if (kept_ && used) std::memmove(in_.get(), in_.get() + used, kept_);
  return true;
}

void Stream::flush() {
  if (tls_ && !plain_.empty() && tls_->handshake_done()) {
    if (tls_->write(plain_, out_)) return broken(asio::error::connection_aborted);
    plain_.clear();
  }
  if (waiting_write_ || !connected_) return;
  while (out_off_ < out_.size()) {
    error_code ec;
    const std::size_t n = socket_.write_some(asio::buffer(out_.data() + out_off_, out_.size() - out_off_), ec);
    if (ec == asio::error::would_block) return wait_writable();
    if (ec) return broken(ec);
    out_off_ += n;
  }
  out_.clear();
  out_off_ = 0;
}

void Stream::wait_writable() {
  waiting_write_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write, [self = shared_from_this()](error_code ec) {
    self->waiting_write_ = false;
    if (!self->handler_) return;
    if (ec) return self->broken(ec);
    self->flush();
  });
}

}  // namespace sio::bench
