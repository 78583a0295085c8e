#include "ws_link.hpp"

#include <openssl/sha.h>

#include <random>


#include "wire/base64.hpp"

namespace sio::bench {

namespace {

// One key per run is enough: the key only proves the server speaks WebSocket.
struct Keys {
  std::string key, accept;
  Keys() {
    std::random_device rd;
    std::string raw(16, '\0');
    for (auto& c : raw) c = static_cast<char>(rd());
    wire::base64_append(key, raw);
    const std::string in = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
    wire::base64_append(accept, std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  }
};
const Keys& keys() {
  static const Keys k;
  return k;
}

std::uint32_t mask_key() {
  static std::uint32_t state = 0x9E3779B9u;  // a cheap generator: masks need not be secret here
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

}  // namespace

void WsLink::start(const Target& t, std::string_view query) {
  request_ = "GET " + t.path + "?" + std::string(query) + " HTTP/1.1\r\nHost: " + t.host_header +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + keys().key +
             "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  stream_ = std::make_shared<Stream>(io_, static_cast<Stream::Handler*>(this));
  stream_->connect(t.endpoint, true, t.tls);
}

void WsLink::close(bool abortive) {
  if (stream_) stream_->close(abortive);
  stream_.reset();
  upgraded_ = false;
}

void WsLink::fail(ErrorKind k, std::string_view detail) {
  if (failed_) return;
  failed_ = true;
  close();
  owner_.on_link_failed(k, detail);  // may destroy this
}

void WsLink::on_connected(Stream& s) {
  s.write(request_);
  std::string().swap(request_);
}

std::size_t WsLink::on_data(Stream& s, std::span<char> data) {
  std::size_t used = 0;
  if (!upgraded_) {
    used = http_.feed(std::string_view(data.data(), data.size()));
    if (http_.failed()) {
      fail(ErrorKind::protocol, http_.error());
      return used;
    }
    if (!http_.done()) return used;
    if (http_.status() != 101) {
      fail(ErrorKind::protocol, "WebSocket upgrade refused: HTTP " + std::to_string(http_.status()) + " " +
                                    http_.body().substr(0, 100));
      return used;
    }
    if (http_.ws_accept() != keys().accept) {
      fail(ErrorKind::protocol, "wrong Sec-WebSocket-Accept");
      return used;
    }
    http_ = HttpResponseParser{};
    upgraded_ = true;
    owner_.on_link_open();
    if (!stream_) return used;
  }
  while (used < data.size()) {
    const std::size_t n = parser_.consume(data.subspan(used), *this);
    used += n;
    if (!stream_) return used;  // closed by the owner while handling a message
    if (parser_.error()) {
      fail(ErrorKind::protocol, "WebSocket: " + parser_.error().message());
      return used;
    }
    if (parser_.closed()) return used;
    if (n == 0) break;
  }
  return used;
}

void WsLink::on_closed(Stream&, std::error_code ec) {
  stream_.reset();
  if (ec == std::errc::connection_refused) return fail(ErrorKind::refused, "connection refused");
  fail(ErrorKind::closed, !ec ? "server closed the WebSocket connection" : "WebSocket connection: " + ec.message());
}

void WsLink::on_message(wire::ws::Opcode op, std::string_view payload) {
  if (!stream_) return;  // closed while an earlier message of this read was handled
  if (op != wire::ws::Opcode::text) {
    fail(ErrorKind::protocol, "unexpected binary WebSocket message");
    return;
  }
  owner_.on_link_packet(payload);
}

void WsLink::on_ping(std::string_view payload) {
  if (stream_) send_frame(wire::ws::Opcode::pong, payload);
}

void WsLink::on_close(std::uint16_t code, std::string_view reason) {
  if (!stream_) return;
  fail(ErrorKind::closed, "server sent WebSocket close " + std::to_string(code) + " " + std::string(reason));
}

void WsLink::send(std::string_view packet) { send_frame(wire::ws::Opcode::text, packet); }

void WsLink::send_frame(wire::ws::Opcode op, std::string_view payload) {
  if (!stream_) return;
  const std::uint32_t key = mask_key();
  frame_.resize(wire::ws::max_header_size + payload.size());
  const std::size_t h = wire::ws::write_header(frame_.data(), op, true, payload.size(), &key);
  std::memcpy(frame_.data() + h, payload.data(), payload.size());
  wire::ws::apply_mask(frame_.data() + h, payload.size(), key);
  stream_->write(std::string_view(frame_.data(), h + payload.size()));
}

}  // namespace sio::bench
