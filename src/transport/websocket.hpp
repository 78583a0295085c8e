// The WebSocket transport's packet mapping (Engine.IO over RFC 6455): a text
// frame is one text packet ("4hello", "2probe"); a binary frame is one binary
// message, raw. Outgoing messages are framed as they are (OutMessage bytes).
#pragma once

#include <string_view>

#include "wire/eio_packet.hpp"

namespace sio::transport {

// False when a text frame does not hold a valid packet.
inline bool decode_websocket_message(std::string_view data, bool binary, wire::eio::Packet& out) {
  if (binary) {
    out = wire::eio::binary_message(data);
    return true;
  }
  return wire::eio::decode_text(data, out);
}

}  // namespace sio::transport
