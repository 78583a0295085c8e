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
constexpr std::size_t kMaxIov = 1024;  // buffers per writev (Linux's IOV_MAX): 512 frames
// A connection's share of one loop turn: once this many bytes or frames are
// written, the rest of its output waits for the next turn (behind the other
// sockets' events). Normal traffic is far below both (one writev). The frame
// bound stays above what one turn of reading can make an echo produce (4 x
// 64 KiB of 6-byte frames, ~44,000), so a peer that reads is never left
// behind by its own pipelined small messages.
constexpr std::size_t kFlushBytes = 1u << 20;
constexpr std::size_t kFlushFrames = 1u << 16;
// Written frames are compacted out of the queue's front once they are this
// many and at least half of it (amortised O(1) per frame).
constexpr std::size_t kCompactAt = 256;
// TLS: plaintext encrypted per batch (four full records). The ciphertext
// waiting for the kernel is at most one batch plus its records' overhead.
constexpr std::size_t kTlsBatch = 64u << 10;
}  // namespace


WsConnection::WsConnection(AsioLoop& loop, tcp::socket socket, Limits limits, std::unique_ptr<TlsChannel> tls)
    : loop_(loop),
      max_buffered_(limits.max_buffered),
      close_grace_(limits.close_grace),
      inbound_(limits.inbound),
      parser_(limits.max_message),
      tls_(tls ? std::make_unique<Tls>(std::move(tls)) : nullptr) {
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
  release_inbound();
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
  // Registered once for both directions; readiness already there is reported.
  // Before the leftover: failing on it must still be able to wait for room.
  token_ = fd_ >= 0 ? loop_.poller().add(fd_, this) : 0;
  if (!token_) {
    finish(ws::close_code::abnormal, make_error_code(errc::eio_transport_error));
    return;
  }
  feed(leftover);
  // Records already taken from the socket hold more: no edge will tell.
  if (tls_ && tls_->channel->buffered() && !read_pending_) {
    read_pending_ = true;
    boost::asio::post(loop_.context(), [self = shared_from_this()] {
      self->read_pending_ = false;
      self->on_readable(true);
    });
  }
}

void WsConnection::feed(std::string_view leftover) {
  if (leftover.empty() || state_ == State::closed) return;
  // Bytes that came with the upgrade request (Beast reads at most its
  // header limit past them, far below the loop buffer's size).
  std::string copy(leftover);
  auto self = shared_from_this();
  const std::size_t used = parser_.consume(std::span<char>(copy.data(), copy.size()), *this);
  if (parser_.error()) {
    fail(parser_.close_code(), parser_.error());
    return;
  }
  if (keep_partial(copy.data() + used, copy.size() - used)) hold_inbound();
}

void WsConnection::compact() noexcept {
  if (out_head_ == 0) return;
  out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_head_));
  pong_at_ = pong_at_ != kNoPong && pong_at_ >= out_head_ ? pong_at_ - out_head_ : kNoPong;
  out_head_ = 0;
}

std::size_t WsConnection::cost_with(const Out& o) const noexcept {
  std::size_t slots = out_.capacity();
  if (out_.size() - out_head_ == slots) slots = slots ? 2 * slots : 1;  // push_back will grow it (libstdc++: x2)
  return queued_bytes_ + o.size() + slots * kSlotSize + (out_.size() - out_head_ + 1) * kAllocOverhead;
}

void WsConnection::push(Out o) {
  // A full queue with written frames at its front makes room there rather
  // than grow.
  if (out_.size() == out_.capacity()) compact();
  queued_bytes_ += o.size();
  out_.push_back(std::move(o));
}

void WsConnection::queue_raw(wire::SharedBytes bytes) {
  Out o;
  o.payload = std::move(bytes);
  push(std::move(o));
  schedule_flush();
}

void WsConnection::queue(ws::Opcode op, wire::SharedBytes payload) {
  Out o;
  o.header_len = static_cast<std::uint8_t>(ws::write_header(o.header, op, true, payload.size()));
  o.payload = std::move(payload);
  // Checked before queuing (and before the queue grows). Once closing, the
  // close frame goes whatever the queue holds: the close grace bounds it.
  if (state_ == State::open && cost_with(o) > max_buffered_) {
    fail(ws::close_code::policy_violation, make_error_code(errc::eio_slow_consumer));
    return;
  }
  push(std::move(o));
  schedule_flush();
}

bool WsConnection::pong_replaceable() const noexcept {
  // Queued, and not one byte of it written yet.
  return pong_at_ != kNoPong && pong_at_ >= out_head_ && pong_at_ < out_.size() &&
         !(pong_at_ == out_head_ && out_offset_ > 0);
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
  if (tls_) return flush_tls();
  std::size_t bytes_this_turn = 0, frames_this_turn = 0;
  while (out_head_ < out_.size()) {
    if (bytes_this_turn >= kFlushBytes || frames_this_turn >= kFlushFrames) {
      // This connection's share of the turn is used: the rest goes out after
      // the loop's other ready sockets have run.
      schedule_flush();
      return;
    }
    std::array<iovec, kMaxIov> bufs;
    std::size_t n = 0;
    std::size_t skip = out_offset_;
    for (std::size_t i = out_head_; i < out_.size() && n + 2 <= kMaxIov; ++i) {
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
    bytes_this_turn += static_cast<std::size_t>(sent);
    frames_this_turn += drop_written(static_cast<std::size_t>(sent));
    // A partial write goes round again: the next try either takes more or
    // fails with EAGAIN, after which the kernel reports room edge-triggered.
  }
  release_queue();  // idle connections keep no buffers
  if (shutdown_after_flush_) shutdown_when_flushed();
}

bool WsConnection::send_tls_out() {
  while (tls_->sent < tls_->out.size()) {
    const ssize_t n = ::send(fd_, tls_->out.data() + tls_->sent, tls_->out.size() - tls_->sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        waiting_write_ = true;  // until the poller reports room (EPOLLOUT)
        return false;
      }
      finish(ws::close_code::abnormal, make_error_code(errc::eio_transport_error));
      return false;
    }
    tls_->sent += static_cast<std::size_t>(n);
  }
  tls_->out.clear();  // its capacity serves the next batch; released when the queue empties
  tls_->sent = 0;
  return true;
}

void WsConnection::flush_tls() {
  std::size_t bytes_this_turn = 0, frames_this_turn = 0;
  for (;;) {
    if (!tls_->out.empty() && !send_tls_out()) return;  // waiting for room, or failed
    if (out_head_ == out_.size()) break;
    if (bytes_this_turn >= kFlushBytes || frames_this_turn >= kFlushFrames) {
      schedule_flush();  // as flush(): the loop's other sockets first
      return;
    }
    // A batch of whole frames (out_offset_ stays 0: frames are encrypted whole).
    std::array<iovec, kMaxIov> bufs;
    std::size_t n = 0, plain = 0;
    for (std::size_t i = out_head_; i < out_.size() && n + 2 <= kMaxIov && plain < kTlsBatch; ++i) {
      const Out& o = out_[i];
      if (o.header_len) bufs[n++] = iovec{const_cast<char*>(o.header), o.header_len};
      if (!o.payload.empty()) bufs[n++] = iovec{const_cast<char*>(o.payload.data()), o.payload.size()};
      plain += o.size();
    }
    if (const std::error_code ec = tls_->channel->write(std::span<const iovec>(bufs.data(), n), tls_->out)) {
      finish(ws::close_code::abnormal, ec);
      return;
    }
    bytes_this_turn += plain;
    frames_this_turn += drop_written(plain);
  }
  release_queue();  // idle connections keep no buffers
  std::string().swap(tls_->out);
  if (shutdown_after_flush_) shutdown_when_flushed();
}

std::size_t WsConnection::drop_written(std::size_t written) {
  queued_bytes_ -= written;
  const std::size_t head = out_head_;
  written += out_offset_;
  out_offset_ = 0;
  while (out_head_ < out_.size()) {
    Out& o = out_[out_head_];
    const std::size_t len = o.size();
    if (written < len) {
      out_offset_ = written;
      break;
    }
    written -= len;
    o.payload = {};  // freed now, not at compaction
    ++out_head_;
  }
  const std::size_t done = out_head_ - head;
  if (out_head_ >= kCompactAt && out_head_ * 2 >= out_.size()) compact();
  return done;
}

void WsConnection::drop_unstarted() {
  // Kept: the frame being written (the stream would be corrupt without its
  // rest) and raw bytes (the 101 preamble, which must precede any frame).
  std::size_t keep = out_head_;
  while (keep < out_.size() && ((keep == out_head_ && out_offset_ > 0) || out_[keep].header_len == 0)) ++keep;
  for (std::size_t i = keep; i < out_.size(); ++i) queued_bytes_ -= out_[i].size();
  out_.erase(out_.begin() + static_cast<std::ptrdiff_t>(keep), out_.end());
  if (pong_at_ != kNoPong && pong_at_ >= keep) pong_at_ = kNoPong;
}

void WsConnection::release_queue() noexcept {
  out_ = {};
  out_head_ = 0;
  out_offset_ = 0;
  queued_bytes_ = 0;
  pong_at_ = kNoPong;
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
  if (tls_) return on_readable_tls(to_the_end);
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
    // Closing after the peer's close frame, or after we failed the
    // connection: drop what follows (the peer's end, or the grace, ends it).
    if (parser_.closed() || error_) continue;
    const std::size_t total = keep + n;
    const std::size_t used = parser_.consume(std::span<char>(buf.data(), total), *this);
    if (state_ == State::closed) return;
    if (parser_.error()) {
      fail(parser_.close_code(), parser_.error());
      return;
    }
    if (!keep_partial(buf.data() + used, total - used) || !hold_inbound()) return;
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

void WsConnection::on_readable_tls(bool to_the_end) {
  auto& buf = loop_.read_buffer();
  const std::span<char> scratch = tls_cipher_scratch();
  // The last recv was short: the socket is drained (edge-triggered: the next
  // edge comes with new bytes). Rounds that only decrypt what the channel
  // holds do not tell.
  bool drained = false;
  for (int round = 0; round < 4; ++round) {
    if (state_ == State::closed) return;
    std::string_view in;
    if (!tls_->channel->buffered()) {
      const ssize_t got = ::recv(fd_, scratch.data(), scratch.size(), 0);
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
      in = {scratch.data(), static_cast<std::size_t>(got)};
      drained = in.size() < scratch.size();
      active_ = true;
    }
    const std::size_t keep = partial_len_;
    std::memcpy(buf.data(), partial_, keep);
    const auto r = tls_->channel->read(in, std::span<char>(buf.data() + keep, buf.size() - keep), tls_->out);
    if (!tls_->out.empty()) schedule_flush();  // the engine's own records (alerts, key updates)
    if (r.ec) {  // nothing can be sent over a broken channel: dropped
      finish(ws::close_code::abnormal, r.ec);
      return;
    }
    // After the peer's close frame, or after we failed the connection, what
    // follows is dropped (as on_readable()).
    if (r.produced && !parser_.closed() && !error_ && !consume_read(std::span<char>(buf.data(), keep + r.produced)))
      return;
    if (r.peer_closed) {  // close_notify: the peer's end of the stream
      finish(peer_code_, {});
      return;
    }
    if (drained && !tls_->channel->buffered() && !to_the_end) return;
  }
  if (read_pending_) return;
  read_pending_ = true;
  boost::asio::post(loop_.context(), [self = shared_from_this()] {
    self->read_pending_ = false;
    self->on_readable(true);
  });
}

bool WsConnection::consume_read(std::span<char> data) {
  const std::size_t used = parser_.consume(data, *this);
  if (state_ == State::closed) return false;
  if (parser_.error()) {
    fail(parser_.close_code(), parser_.error());
    return false;
  }
  return keep_partial(data.data() + used, data.size() - used) && hold_inbound();
}

bool WsConnection::hold_inbound() {
  const std::size_t held = parser_.held();
  if (!inbound_ || held == inbound_held_) return true;
  if (held < inbound_held_) {
    inbound_->release(loop_.index(), inbound_held_ - held);
    inbound_held_ = held;
    return true;
  }
  if (!inbound_->try_reserve(loop_.index(), held - inbound_held_)) {
    fail(ws::close_code::try_again_later, make_error_code(errc::http_server_busy));
    return false;
  }
  inbound_held_ = held;
  return true;
}

void WsConnection::release_inbound() noexcept {
  if (inbound_ && inbound_held_) inbound_->release(loop_.index(), inbound_held_);
  inbound_held_ = 0;
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
  if (pong_replaceable()) {
    // A pong is queued and unwritten: answer only the latest ping (RFC 6455
    // section 5.5.3), so pings from a peer that does not read cost nothing.
    Out& o = out_[pong_at_];
    queued_bytes_ -= o.size();
    if (o.payload.size() == payload.size() && o.payload.use_count() == 1) {
      if (!payload.empty()) std::memcpy(o.payload.mutable_data(), payload.data(), payload.size());
    } else {
      o.payload = wire::SharedBytes::copy_of(payload);
      o.header_len = static_cast<std::uint8_t>(ws::write_header(o.header, ws::Opcode::pong, true, payload.size()));
    }
    queued_bytes_ += o.size();
    return;
  }
  pong_at_ = out_.size();
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
}

void WsConnection::fail(std::uint16_t close_code, std::error_code ec) {
  if (state_ == State::closed) return;
  error_ = ec;
  auto* h = std::exchange(handler_, nullptr);
  if (state_ == State::open) {
    // Fail the connection: send our close frame, then drop TCP once written.
    begin_closing();
    drop_unstarted();
    queue_raw(wire::SharedBytes::copy_of(ws::encode_frame<ws::Role::server>(ws::Opcode::close, ws::close_payload(close_code))));
    shutdown_after_flush_ = true;
  }
  if (h) h->on_ws_closed(ws::close_code::abnormal, ec);
}

void WsConnection::shutdown_when_flushed() {
  if (out_head_ < out_.size() || state_ == State::closed) return;
  if (tls_) {
    if (!tls_->out.empty()) return;  // flush() comes back here once it is out
    if (!tls_->closed) {  // our close_notify before the FIN
      tls_->closed = true;
      tls_->channel->close(tls_->out);
      if (!tls_->out.empty()) return flush();
    }
  }
  ::shutdown(fd_, SHUT_WR);
  if (parser_.closed()) {
    finish(peer_code_, error_);
    return;
  }
  // Keep reading until the peer's close frame or EOF (or the grace timer,
  // armed by begin_closing). After a failure too: closing the socket with
  // the peer's bytes unread would answer them with a reset, which can
  // destroy our close frame before the peer reads it.
}

void WsConnection::abort() { finish(ws::close_code::abnormal, error_); }

void WsConnection::begin_closing() {
  state_ = State::closing;
  // Every way into closing ends within the grace, whether or not the peer
  // reads what is queued: the fd and the queue are released then. Until
  // then the grace timer keeps the connection: its owner may let go now, and
  // closing the socket early, with the peer's unread bytes in it, would reset
  // the connection and lose what we just wrote (the close frame and the
  // messages before it). Held by the timer, not by the connection itself, a
  // loop that goes away with connections closing releases them.
  if (!close_timer_) {
    close_timer_ = loop_.start_timer(close_grace_, [self = shared_from_this()] {
      self->close_timer_ = 0;
      self->finish(ws::close_code::abnormal, self->error_);
    });
  }
}

void WsConnection::finish(std::uint16_t code, std::error_code ec) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  // Cancelling the grace timer may drop the last other reference.
  auto release_at_return = shared_from_this();
  if (close_timer_) {
    loop_.cancel_timer(close_timer_);
    close_timer_ = 0;
  }
  close_socket();
  release_queue();
  if (tls_) std::string().swap(tls_->out);
  release_inbound();  // the parser's buffer goes with the connection
  if (auto* h = std::exchange(handler_, nullptr)) h->on_ws_closed(code, ec ? ec : error_);
}

}  // namespace sio::net
