#include "net/client/ws_transport.hpp"

#include <optional>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/core/string.hpp>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "wire/base64.hpp"

namespace sio::net::client {

namespace http = boost::beast::http;
using wire::ws::Opcode;

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";  // RFC 6455 section 1.3

std::string make_key(std::mt19937& rng) {
  unsigned char raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    for (auto& b : raw) b = static_cast<unsigned char>(rng());
  }
  std::string key;
  wire::base64_append(key, std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  return key;
}

std::string expected_accept(const std::string& key) {
  const std::string in = key + std::string(kGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  std::string out;
  wire::base64_append(out, std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  return out;
}

}  // namespace

struct WsTransport::Handshake {
  http::response_parser<http::string_body> parser;
};

struct WsTransport::GraceTimer {
  explicit GraceTimer(boost::asio::io_context& ctx) : timer(ctx) {}
  boost::asio::steady_timer timer;
};

WsTransport::WsTransport(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls, Endpoint ep,
                         std::size_t max_message, TransportCallbacks cb, std::chrono::milliseconds close_grace)
    : ctx_(ctx), tls_(std::move(tls)), ep_(std::move(ep)), cb_(std::move(cb)), parser_(max_message),
      close_grace_(close_grace), rng_(std::random_device{}()) {}

WsTransport::~WsTransport() {
  if (stream_) stream_->close();
}

void WsTransport::open(const std::string& sid) {
  stream_ = Stream::make(ctx_, tls_);
  key_ = make_key(rng_);
  std::string req = "GET " + engine_target(ep_, "websocket", sid, false) + " HTTP/1.1\r\nHost: " +
                    ep_.host_header() +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    "Sec-WebSocket-Key: " + key_ + "\r\n";
  for (const auto& [name, value] : ep_.headers) req += name + ": " + value + "\r\n";
  req += "\r\n";
  stream_->connect(ep_.host, ep_.port, [w = weak_from_this(), req = std::move(req)](std::error_code ec) mutable {
    auto self = w.lock();
    if (!self || self->closed_) return;
    if (ec) return self->down(true, describe(ec));
    self->stream_->write(std::move(req), [w](std::error_code ec) {
      auto self = w.lock();
      if (!self || self->closed_) return;
      if (ec) return self->down(true, describe(ec));
      self->hs_ = std::make_unique<Handshake>();
      self->hs_->parser.body_limit(64 * 1024);
      self->read_handshake();
    });
  });
}

void WsTransport::read_handshake() {
  stream_->read_some([w = weak_from_this()](std::error_code ec, std::string_view data) {
    auto self = w.lock();
    if (!self || self->closed_) return;
    if (ec) return self->down(true, "websocket handshake: " + describe(ec));
    self->in_.append(data);
    auto& p = self->hs_->parser;
    while (!self->in_.empty() && !p.is_done()) {
      boost::beast::error_code bec;
      const std::size_t used = p.put(boost::asio::buffer(self->in_), bec);
      self->in_.erase(0, used);
      if (bec == http::error::need_more) break;
      if (bec) return self->down(true, "websocket handshake: " + bec.message());
    }
    if (!p.is_done()) return self->read_handshake();
    std::string why;
    if (!self->check_handshake(why)) return self->down(true, "websocket handshake: " + why);
    self->hs_.reset();
    self->open_ = true;
    if (self->cb_.on_open) self->cb_.on_open();
    if (self->closed_) return;
    // Frames may have come right behind the 101 response.
    std::string rest = std::move(self->in_);
    self->in_.clear();
    if (!rest.empty()) self->consume(rest);
    if (!self->closed_) self->read_frames();
  });
}

bool WsTransport::check_handshake(std::string& why) {
  const auto& res = hs_->parser.get();
  if (res.result_int() != 101) {
    why = "HTTP " + std::to_string(res.result_int());
    if (!res.body().empty()) why += ": " + res.body().substr(0, 200);
    return false;
  }
  if (!boost::beast::iequals(res[http::field::upgrade], "websocket")) {
    why = "no Upgrade: websocket";
    return false;
  }
  if (res[http::field::sec_websocket_accept] != expected_accept(key_)) {
    why = "wrong Sec-WebSocket-Accept";
    return false;
  }
  return true;
}

void WsTransport::read_frames() {
  stream_->read_some([w = weak_from_this()](std::error_code ec, std::string_view data) {
    auto self = w.lock();
    if (!self || self->closed_) return;
    if (ec) {
      // The end of the stream without a close frame is still a close.
      return is_eof(ec) ? self->down(false, "websocket connection closed") : self->down(true, describe(ec));
    }
    self->consume(data);
    if (!self->closed_) self->read_frames();
  });
}

void WsTransport::consume(std::string_view data) {
  in_.append(data);
  const std::size_t used = parser_.consume(std::span<char>(in_.data(), in_.size()), *this);
  in_.erase(0, used);
  if (closed_) return;
  if (parser_.error()) {
    queue_frame(Opcode::close, wire::ws::close_payload(parser_.close_code()));
    close_after_writing();
    down(true, "websocket: " + parser_.error().message());
  }
}

void WsTransport::on_message(Opcode op, std::string_view payload) {
  if (closed_) return;
  if (cb_.on_data) cb_.on_data(payload, op == Opcode::binary);
}

void WsTransport::on_ping(std::string_view payload) {
  if (!closed_) queue_frame(Opcode::pong, payload);
}

void WsTransport::on_close(std::uint16_t code, std::string_view reason) {
  if (closed_) return;
  // Echo the close (section 5.5.1), then drop the connection.
  queue_frame(Opcode::close, code == wire::ws::close_code::no_status ? std::string()
                                                                    : wire::ws::close_payload(code));
  close_after_writing();
  std::string what = "websocket closed by the server (" + std::to_string(code);
  if (!reason.empty()) what += " " + std::string(reason);
  down(false, what + ")");
}

void WsTransport::send(std::vector<std::pair<std::string, bool>> messages) {
  if (closed_ || !open_) return;
  for (const auto& [data, binary] : messages) queue_frame(binary ? Opcode::binary : Opcode::text, data);
  drain_pending_ = true;
}

void WsTransport::close(bool graceful, std::function<void()> done) {
  if (!done) done = [] {};
  if (closed_ || !(graceful && open_)) {
    const bool flushing = closed_ && close_after_write_ && writing_;
    if (!closed_) {
      closed_ = true;
      if (stream_) stream_->close();
    }
    if (flushing) {
      on_flushed_ = std::move(done);  // the echo of a peer's close is still going out
    } else {
      boost::asio::post(ctx_, std::move(done));
    }
    return;
  }
  closed_ = true;
  on_flushed_ = std::move(done);
  queue_frame(Opcode::close, wire::ws::close_payload(wire::ws::close_code::normal));
  close_after_writing();
}

void WsTransport::close_after_writing() {
  close_after_write_ = true;
  if (grace_) return;
  // Bounded even when the server reads nothing: closing the stream aborts
  // the pending write, whose handler then lets the transport go.
  grace_ = std::make_unique<GraceTimer>(ctx_);
  grace_->timer.expires_after(close_grace_);
  grace_->timer.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
    auto self = w.lock();
    if (ec || !self || !self->stream_) return;
    self->stream_->close();
  });
}

void WsTransport::queue_frame(Opcode op, std::string_view payload) {
  if (op == Opcode::pong && pong_seq_ != kNoPong && pong_seq_ >= taken_) {
    // A pong waits unwritten: it answers this ping instead (only the latest
    // ping needs an answer), so a server's pings never pile up here.
    out_[pong_seq_ - taken_] = wire::ws::encode_frame<wire::ws::Role::client>(op, payload, true, rng_());
    return;
  }
  if (op == Opcode::pong) pong_seq_ = taken_ + out_.size();
  out_.push_back(wire::ws::encode_frame<wire::ws::Role::client>(op, payload, true, rng_()));
  if (!writing_) {
    // Written from a fresh handler, so callbacks never run inside send().
    writing_ = true;
    boost::asio::post(ctx_, [self = shared_from_this()] { self->write_next(); });
  }
}

void WsTransport::write_next() {
  if (out_.empty()) {
    writing_ = false;
    if (close_after_write_) {
      stream_->close();
      if (auto done = std::exchange(on_flushed_, nullptr)) done();
      return;
    }
    if (drain_pending_ && !closed_) {
      drain_pending_ = false;
      if (cb_.on_drain) cb_.on_drain();
    }
    return;
  }
  std::string frame = std::move(out_.front());
  out_.pop_front();
  ++taken_;
  // The write keeps the transport alive: a closing frame gets out even after
  // the owner let go.
  stream_->write(std::move(frame), [self = shared_from_this()](std::error_code ec) {
    if (ec) {
      self->taken_ += self->out_.size();
      self->out_.clear();
      self->writing_ = false;
      if (auto done = std::exchange(self->on_flushed_, nullptr)) done();
      if (!self->closed_) self->down(true, describe(ec));
      return;
    }
    self->write_next();
  });
}

void WsTransport::down(bool error, std::string description) {
  if (closed_) return;
  closed_ = true;
  if (!close_after_write_ && stream_) stream_->close();
  if (cb_.on_down) cb_.on_down(error, std::move(description));
}

}  // namespace sio::net::client
