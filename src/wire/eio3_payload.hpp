// Engine.IO protocol 3 (engine.io-parser 2.x) packets and polling payloads,
// pure: what socket.io-client 2.x speaks. Packet types are protocol 4's (see
// eio_packet.hpp); the heartbeat goes the other way (the client pings).
//
// | form                     | layout                                          |
// |--------------------------|-------------------------------------------------|
// | text payload             | "<len>:<packet>" repeated; len counts UTF-16    |
// |                          | code units, as JavaScript's String.length       |
// | binary packet, as text   | "b4" + base64(bytes) (a client without binary:  |
// |                          | the "b64=1" query)                              |
// | binary payload           | per packet: 0x00 (text) or 0x01 (binary), the   |
// | (application/octet-      | decimal digits of its length as bytes 0..9,     |
// |  stream)                 | 0xFF, then the packet: text as UTF-8, binary as |
// |                          | 0x04 + bytes                                    |
// | WebSocket binary frame   | 0x04 + bytes (the packet type comes first)      |
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <sio/error.hpp>

#include "wire/eio_packet.hpp"

namespace sio::wire::eio3 {

using eio::Packet;
using eio::PacketType;

// String.length of the text whose UTF-8 form is `utf8`: a four-byte sequence
// counts two units (a surrogate pair), any other sequence one; a byte that
// starts no sequence counts one (a decoder replaces it with U+FFFD).
std::size_t utf16_length(std::string_view utf8) noexcept;

// Bytes of `utf8` from the start that hold exactly `units` UTF-16 code units,
// or npos when the text is shorter or the count ends inside a pair.
std::size_t utf8_prefix_of_units(std::string_view utf8, std::size_t units) noexcept;

// One text-form packet: "4hello", "2", or "b4" + base64 (decoded into `scratch`).
// Binary data is a message's only ("b" + another type does not decode).
bool decode_item(std::string_view item, std::string& scratch, Packet& out);

// A WebSocket binary frame: its first byte is the packet type (a message).
bool decode_binary_frame(std::string_view frame, Packet& out) noexcept;

// Decodes a text payload, calling on_packet(const Packet&) for each packet in
// order. Stops at the first malformed length or packet: errc::eio_bad_payload
// (the packets before it have been delivered, as engine.io-parser 2 calls back
// packet by packet).
template <class F>
std::error_code decode_text_payload(std::string_view body, std::string& scratch, F&& on_packet);

// Decodes a binary payload (a POST sent as application/octet-stream).
template <class F>
std::error_code decode_binary_payload(std::string_view body, std::string& scratch, F&& on_packet);

// Appends one packet to a text payload: "<len>:" + the packet, binary data as
// "b4" + base64. `encoded` is the whole text packet ("4hello") or the raw bytes.
void append_text_item(std::string& out, std::string_view encoded, bool binary);

// Appends one packet to a binary payload (see the table).
void append_binary_item(std::string& out, std::string_view encoded, bool binary);

// ---- implementation of the templates ----
template <class F>
std::error_code decode_text_payload(std::string_view body, std::string& scratch, F&& on_packet) {
  if (body.empty()) return make_error_code(errc::eio_bad_payload);
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t units = 0, digits = 0;
    while (pos < body.size() && body[pos] != ':') {
      const char c = body[pos++];
      if (c < '0' || c > '9' || ++digits > 9) return make_error_code(errc::eio_bad_payload);
      units = units * 10 + static_cast<std::size_t>(c - '0');
    }
    if (digits == 0 || pos == body.size()) return make_error_code(errc::eio_bad_payload);
    ++pos;  // ':'
    const std::size_t len = utf8_prefix_of_units(body.substr(pos), units);
    if (len == std::string_view::npos) return make_error_code(errc::eio_bad_payload);
    if (len != 0) {  // "0:" is an empty payload
      Packet p;
      if (!decode_item(body.substr(pos, len), scratch, p)) return make_error_code(errc::eio_bad_payload);
      on_packet(static_cast<const Packet&>(p));
    }
    pos += len;
  }
  return {};
}

template <class F>
std::error_code decode_binary_payload(std::string_view body, std::string& scratch, F&& on_packet) {
  if (body.empty()) return make_error_code(errc::eio_bad_payload);
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto kind = static_cast<unsigned char>(body[pos++]);
    if (kind > 1) return make_error_code(errc::eio_bad_payload);
    std::size_t len = 0, digits = 0;
    for (;;) {
      if (pos == body.size()) return make_error_code(errc::eio_bad_payload);
      const auto d = static_cast<unsigned char>(body[pos++]);
      if (d == 0xFF) break;
      if (d > 9 || ++digits > 9) return make_error_code(errc::eio_bad_payload);
      len = len * 10 + d;
    }
    if (digits == 0 || len > body.size() - pos) return make_error_code(errc::eio_bad_payload);
    const std::string_view item = body.substr(pos, len);
    pos += len;
    Packet p;
    const bool ok = kind == 0 ? decode_item(item, scratch, p) : decode_binary_frame(item, p);
    if (!ok) return make_error_code(errc::eio_bad_payload);
    on_packet(static_cast<const Packet&>(p));
  }
  return {};
}

}  // namespace sio::wire::eio3
