// Engine.IO protocol 4 packets and polling payloads, pure.
//
// | type    | id | use                                   |
// |---------|----|---------------------------------------|
// | open    | 0  | handshake (server -> client)          |
// | close   | 1  | the transport can be closed           |
// | ping    | 2  | heartbeat (server -> client, "2probe" |
// |         |    | from the client during an upgrade)    |
// | pong    | 3  | heartbeat answer ("3probe")           |
// | message | 4  | a payload for the layer above         |
// | upgrade | 5  | upgrade done (client -> server)       |
// | noop    | 6  | releases a pending poll during upgrade|
//
// Over WebSocket a text frame is one packet ("4hello"); a binary frame is one
// binary message (raw bytes, no type). Over polling, packets are joined with
// the record separator \x1e; a binary message is "b" + base64(bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include <sio/error.hpp>

namespace sio::wire::eio {

enum class PacketType : std::uint8_t { open = 0, close = 1, ping = 2, pong = 3, message = 4, upgrade = 5, noop = 6 };

inline constexpr char kRecordSeparator = '\x1e';

struct Packet {
  PacketType type = PacketType::noop;
  bool binary = false;     // a binary message
  std::string_view data;   // the packet's data (a view of the input or of scratch)
};

// One text packet ("4hello", "2probe", "3"). False when it does not decode.
bool decode_text(std::string_view in, Packet& out) noexcept;

inline Packet binary_message(std::string_view bytes) noexcept {
  return {PacketType::message, true, bytes};
}

// Decodes a polling request body, calling on_packet(const Packet&) for each
// packet in order; base64 data is decoded into `scratch` (views valid during
// the call only). Stops at the first malformed packet and returns
// errc::eio_bad_payload; packets before it have been delivered.
template <class F>
std::error_code decode_payload(std::string_view body, std::string& scratch, F&& on_packet);

// Appends the text form of a packet ("4" + data).
void append_text(std::string& out, PacketType type, std::string_view data);

// Appends one packet to a polling payload: a separator first unless `out` is
// empty, then the text packet as is, or "b" + base64 for binary data.
// `encoded` is the whole text packet ("4hello") or the raw binary bytes.
void append_polling(std::string& out, std::string_view encoded, bool binary);

// ---- implementation of the template ----
bool decode_polling_item(std::string_view item, std::string& scratch, Packet& out);

template <class F>
std::error_code decode_payload(std::string_view body, std::string& scratch, F&& on_packet) {
  if (body.empty()) return make_error_code(errc::eio_bad_payload);
  std::size_t pos = 0;
  for (;;) {
    const std::size_t end = body.find(kRecordSeparator, pos);
    const std::string_view item = body.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    Packet p;
    if (!decode_polling_item(item, scratch, p)) return make_error_code(errc::eio_bad_payload);
    on_packet(static_cast<const Packet&>(p));
    if (end == std::string_view::npos) return {};
    pos = end + 1;
  }
}

}  // namespace sio::wire::eio
