// Shared by the ws_*_test.cpp files: a handler that records parser events as
// text, and helpers that feed bytes whole or in chunks (re-offering what the
// parser leaves unconsumed, as the network layer does).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "wire/ws_frame.hpp"

namespace sio::wire::ws::test {

struct Recorder {
  std::vector<std::string> events;
  std::vector<const char*> message_data;  // where each on_message view pointed

  void on_message(Opcode op, std::string_view payload) {
    events.push_back((op == Opcode::text ? "text:" : "binary:") + std::string(payload));
    message_data.push_back(payload.data());
  }
  void on_ping(std::string_view payload) { events.push_back("ping:" + std::string(payload)); }
  void on_pong(std::string_view payload) { events.push_back("pong:" + std::string(payload)); }
  void on_close(std::uint16_t code, std::string_view reason) {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
};

struct Outcome {
  std::vector<std::string> events;
  std::error_code error;
  std::uint16_t close_code = 0;
  bool closed = false;
  std::size_t leftover = 0;  // bytes never consumed
  std::size_t buffered = 0;
};

// Feeds `bytes` in chunks of `chunk` bytes (0: all at once).
template <Role R>
Outcome feed(Parser<R>& parser, std::string bytes, std::size_t chunk = 0) {
  Recorder rec;
  std::string pending;
  std::size_t off = 0;
  if (chunk == 0) chunk = std::max<std::size_t>(bytes.size(), 1);
  do {
    const std::size_t n = std::min(chunk, bytes.size() - off);
    pending.append(bytes, off, n);
    off += n;
    const std::size_t used = parser.consume(std::span<char>(pending.data(), pending.size()), rec);
    EXPECT_LE(used, pending.size());
    pending.erase(0, used);
    if (!parser.error() && !parser.closed()) EXPECT_LT(pending.size(), max_header_size);
  } while (off < bytes.size());
  return {rec.events, parser.error(), parser.close_code(), parser.closed(), pending.size(),
          parser.buffered()};
}

template <Role R>
Outcome feed_fresh(std::string bytes, std::size_t chunk = 0, std::size_t max_message = 1u << 20) {
  Parser<R> parser(max_message);
  return feed(parser, std::move(bytes), chunk);
}

// Frames as a client sends them, for the server parser (and the converse).
inline std::string from_client(Opcode op, std::string_view payload, bool fin = true,
                               std::uint32_t key = 0xA1B2C3D4) {
  return encode_frame<Role::client>(op, payload, fin, key);
}
inline std::string from_server(Opcode op, std::string_view payload, bool fin = true) {
  return encode_frame<Role::server>(op, payload, fin);
}

}  // namespace sio::wire::ws::test
