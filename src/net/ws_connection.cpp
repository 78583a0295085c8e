#include "net/ws_connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <boost/asio/post.hpp>

namespace sio::net {

namespace ws = wire::ws;
using boost::asio::ip::tcp;

namespace {
constexpr std::chrono::milliseconds kCloseGrace{3000};  // wait this long for the peer's close
constexpr std::size_t kMaxIov = 64;                     // buffers per writev
}  // namespace

WsConnection::WsConnection(AsioLoop& loop, tcp::socket socket, Limits limits)
    : loop_(loop), max_buffered_(limits.max_buffered), parser_(limits.max_message) {
  // The creator set TCP_NODELAY (HttpConnection, ws_server's Upgrade). Asio
  // knows whether the descriptor is already non-blocking (it makes it so for
  // its first asynchronous operation): no system call when it is.
  boost::system::error_code ec;
  if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
  fd_ = socket.release(ec);
  if (ec) fd_ = -1;
}

WsConnection::~WsConnection() {
  if (close_timer_) loop_.cancel_timer(close_timer_);
  close_socket();
}

void WsConnection::close_socket() noexcept {
  if (fd_ < 0) return;
  loop_.poller().forget_closing(token_);
  ::close(fd_);
  fd_ = -1;
  token_ = 0;
}

void WsConnection::start(Handler* handler, std::string_view leftover, wire::SharedBytes preamble) {
  handler_ = handler;
  if (preamble) queue_raw(std::move(preamble));
  if (!leftover.empty()) {
    // Bytes that came with the upgrade request (Beast reads at most its
    // header limit past them, far below the loop buffer's size).
    std::string copy(leftover);
    auto self = shared_from_this();
    const std::size_t used = parser_.consume(std::span<char>(copy.data(), copy.size()), *this);
    if (parser_.error()) {
      fail(parser_.close_code(), parser_.error());
      return;
    }
    if (!keep_partial(copy.data() + used, copy.size() - used)) return;
  }
  if (state_ == State::closed) return;
  // Registered once for both directions; readiness already there is reported.
  token_ = fd_ >= 0 ? loop_.poller().add(fd_, this) : 0;
  if (!token_) finish(ws::close_code::abnormal, make_error_code(errc::eio_transport_error));
}

void WsConnection::queue_raw(wire::SharedBytes bytes) {
  queued_bytes_ += bytes.size();
  out_.push_back(Out{{}, 0, std::move(bytes)});
  schedule_flush();
}

void WsConnection::queue(ws::Opcode op, wire::SharedBytes payload) {
  Out o;
  o.header_len = static_cast<std::uint8_t>(ws::write_header(o.header, op, true, payload.size()));
  queued_bytes_ += o.header_len + payload.size();
  o.payload = std::move(payload);
  out_.push_back(std::move(o));
  if (queued_bytes_ > max_buffered_) {
    fail(ws::close_code::policy_violation, make_error_code(errc::eio_slow_consumer));
    return;
  }
  schedule_flush();
}

void WsConnection::send(const wire::SharedBytes& payload, bool binary) {
  if (state_ != State::open) return;
  queue(binary ? ws::Opcode::binary : ws::Opcode::text, payload);
}

void WsConnection::schedule_flush() {
  if (flush_scheduled_ || waiting_write_) return;
  flush_scheduled_ = true;
  boost::asio::post(loop_.context(), [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void WsConnection::flush() {
  if (waiting_write_ || state_ == State::closed) return;
  while (!out_.empty()) {
    std::array<iovec, kMaxIov> bufs;
    std::size_t n = 0;
    std::size_t skip = out_offset_;
    for (std::size_t i = 0; i < out_.size() && n + 2 <= kMaxIov; ++i) {
      const Out& o = out_[i];
      std::size_t h = o.header_len, p = o.payload.size();
      if (skip >= h) {
        skip -= h;
        h = 0;
      }
      if (h) bufs[n++] = iovec{const_cast<char*>(o.header + skip), h - skip}, skip = 0;
      if (p > skip) bufs[n++] = iovec{const_cast<char*>(o.payload.data() + skip), p - skip};
      skip = 0;
    }
    msghdr msg{};
    msg.msg_iov = bufs.data();
    msg.msg_iovlen = n;
    const ssize_t sent = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        waiting_write_ = true;  // until the poller reports room (EPOLLOUT)
        return;
      }
      finish(ws::close_code::abnormal, make_error_code(errc::eio_transport_error));
      return;
    }
    std::size_t written = static_cast<std::size_t>(sent);
    queued_bytes_ -= written;
    // Drop what was written.
    std::size_t i = 0;
    written += out_offset_;
    out_offset_ = 0;
    while (i < out_.size()) {
      const std::size_t len = out_[i].header_len + out_[i].payload.size();
      if (written < len) {
        out_offset_ = written;
        break;
      }
      written -= len;
      ++i;
    }
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(i));
    // A partial write goes round again: the next try either takes more or
    // fails with EAGAIN, after which the kernel reports room edge-triggered.
  }
  out_ = {};  // idle connections keep no buffers
  if (shutdown_after_flush_) shutdown_when_flushed();
}

void WsConnection::on_io(std::uint32_t events) {
  auto self = shared_from_this();  // handlers may drop the last other reference
  if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) && waiting_write_) {
    waiting_write_ = false;
    flush();
  }
  // With the peer's FIN (or an error) in this edge, read to the end: a short
  // read would leave the EOF unseen, and no further edge would come.
  if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    on_readable(true);
  } else if (events & EPOLLIN) {
    on_readable(false);
  }
}

void WsConnection::on_readable(bool to_the_end) {
  auto& buf = loop_.read_buffer();
  for (int round = 0; round < 4; ++round) {
    if (state_ == State::closed) return;
    const std::size_t keep = partial_len_;
    std::memcpy(buf.data(), partial_, keep);
    const ssize_t got = ::recv(fd_, buf.data() + keep, buf.size() - keep, 0);
    if (got < 0) {
      if (errno == EINTR) {
        --round;
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;  // drained: the next edge wakes us
      finish(peer_code_, {});                               // reset
      return;
    }
    if (got == 0) {  // EOF
      finish(peer_code_, {});
      return;
    }
    const auto n = static_cast<std::size_t>(got);
    active_ = true;
    if (parser_.closed()) continue;  // closing: discard what follows the close frame
    const std::size_t total = keep + n;
    const std::size_t used = parser_.consume(std::span<char>(buf.data(), total), *this);
    if (state_ == State::closed) return;
    if (parser_.error()) {
      fail(parser_.close_code(), parser_.error());
      return;
    }
    if (!keep_partial(buf.data() + used, total - used)) return;
    if (n < buf.size() - keep && !to_the_end) return;  // drained the socket (edge-triggered: safe to stop)
  }
  // Four full buffers: let the loop's other sockets run, then read on (no edge
  // will come for bytes already waiting).
  if (read_pending_) return;
  read_pending_ = true;
  boost::asio::post(loop_.context(), [self = shared_from_this()] {
    self->read_pending_ = false;
    self->on_readable(true);
  });
}

bool WsConnection::keep_partial(const char* p, std::size_t n) {
  if (n > sizeof partial_) {  // the parser leaves only a header's first bytes
    fail(ws::close_code::protocol_error, make_error_code(errc::eio_transport_error));
    return false;
  }
  std::memcpy(partial_, p, n);
  partial_len_ = static_cast<std::uint8_t>(n);
  return true;
}

void WsConnection::on_message(ws::Opcode op, std::string_view payload) {
  if (state_ != State::open || !handler_) return;
  handler_->on_ws_message(payload, op == ws::Opcode::binary);
}

void WsConnection::on_ping(std::string_view payload) {
  if (state_ != State::open) return;
  queue(ws::Opcode::pong, wire::SharedBytes::copy_of(payload));
}

void WsConnection::on_close(std::uint16_t code, std::string_view) {
  peer_code_ = code;
  if (state_ == State::open) {
    // Echo the close, then close TCP once it is written.
    begin_closing();
    const std::string payload = code == ws::close_code::no_status ? std::string() : ws::close_payload(code);
    queue(ws::Opcode::close, wire::SharedBytes::copy_of(payload));
    shutdown_after_flush_ = true;
    if (auto* h = std::exchange(handler_, nullptr)) h->on_ws_closed(code, {});
    return;
  }
  // We started the close; the handshake is complete.
  finish(code, error_);
}

void WsConnection::close(std::uint16_t code, std::string_view reason) {
  if (state_ != State::open) return;
  begin_closing();
  queue(ws::Opcode::close, wire::SharedBytes::copy_of(ws::close_payload(code, reason)));
  shutdown_after_flush_ = true;
  auto weak = weak_from_this();
  close_timer_ = loop_.start_timer(kCloseGrace, [weak] {
    if (auto self = weak.lock()) {
      self->close_timer_ = 0;
      self->finish(ws::close_code::abnormal, self->error_);
    }
  });
}

void WsConnection::fail(std::uint16_t close_code, std::error_code ec) {
  if (state_ == State::closed) return;
  error_ = ec;
  auto* h = std::exchange(handler_, nullptr);
  if (state_ == State::open) {
    // Fail the connection: send our close frame, then drop TCP once written.
    begin_closing();
    out_.clear();
    out_offset_ = 0;
    queued_bytes_ = 0;
    queue_raw(wire::SharedBytes::copy_of(ws::encode_frame<ws::Role::server>(ws::Opcode::close, ws::close_payload(close_code))));
    shutdown_after_flush_ = true;
  }
  if (h) h->on_ws_closed(ws::close_code::abnormal, ec);
}

void WsConnection::shutdown_when_flushed() {
  if (!out_.empty() || state_ == State::closed) return;
  ::shutdown(fd_, SHUT_WR);
  if (parser_.closed() || error_) {
    finish(peer_code_, error_);
    return;
  }
  // Keep reading until the peer's close frame or EOF (or the grace timer).
  if (!close_timer_) {
    auto weak = weak_from_this();
    close_timer_ = loop_.start_timer(kCloseGrace, [weak] {
      if (auto self = weak.lock()) {
        self->close_timer_ = 0;
        self->finish(ws::close_code::abnormal, self->error_);
      }
    });
  }
}

void WsConnection::abort() { finish(ws::close_code::abnormal, error_); }

void WsConnection::begin_closing() {
  state_ = State::closing;
  // Until the closing handshake ends (or its grace timer), the connection
  // keeps itself: its owner may let go now, and closing the socket early,
  // with the peer's unread bytes in it, would reset the connection and lose
  // what we just wrote (the close frame and the messages before it).
  closing_hold_ = shared_from_this();
}

void WsConnection::finish(std::uint16_t code, std::error_code ec) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  auto release_at_return = std::move(closing_hold_);
  if (close_timer_) {
    loop_.cancel_timer(close_timer_);
    close_timer_ = 0;
  }
  close_socket();
  out_.clear();
  out_.shrink_to_fit();
  queued_bytes_ = 0;
  if (auto* h = std::exchange(handler_, nullptr)) h->on_ws_closed(code, ec ? ec : error_);
}

}  // namespace sio::net
