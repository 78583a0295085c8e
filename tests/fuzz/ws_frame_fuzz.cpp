// Fuzzes the WebSocket frame parser in both roles.
//
// Input layout:
//   byte 0      the maximum message size: 1 << (byte % 21) bytes (1 B .. 1 MiB)
//   bytes 1..8  a cycle of chunk sizes (byte + 1, so 1..256 bytes per read)
//   the rest    the byte stream, fed to Parser<server> and Parser<client>
// Each stream is parsed twice per role: whole, and in chunks the way the
// network layer feeds it (the unconsumed tail is re-offered in front of the
// next chunk). Both must produce the same events, error and close state, and
// every read is given an exactly sized heap copy so ASan sees any overread.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wire/ws_frame.hpp"

namespace {

using namespace sio::wire::ws;

// Events as one string: kind, length, bytes. Unambiguous, cheap to compare.
struct Log {
  std::string s;
  std::size_t max_message = 0;

  void add(char kind, std::string_view payload) {
    s.push_back(kind);
    const auto n = static_cast<std::uint32_t>(payload.size());
    s.append(reinterpret_cast<const char*>(&n), sizeof n);
    s.append(payload);
  }
  void on_message(Opcode op, std::string_view p) {
    if (op != Opcode::text && op != Opcode::binary) std::abort();
    if (p.size() > max_message) std::abort();  // the limit held
    if (op == Opcode::text && !sio::wire::is_valid_utf8(p)) std::abort();
    add(op == Opcode::text ? 't' : 'b', p);
  }
  void on_ping(std::string_view p) {
    if (p.size() > 125) std::abort();
    add('i', p);
  }
  void on_pong(std::string_view p) {
    if (p.size() > 125) std::abort();
    add('o', p);
  }
  void on_close(std::uint16_t code, std::string_view reason) {
    if (code != close_code::no_status && !valid_close_code(code)) std::abort();
    if (!sio::wire::is_valid_utf8(reason)) std::abort();
    add('c', std::string_view(reinterpret_cast<const char*>(&code), 2));
    add('r', reason);
  }
};

struct Result {
  std::string events;
  std::error_code error;
  std::uint16_t close_code;
  bool closed;
};

template <Role R>
std::size_t offer(Parser<R>& p, std::string_view bytes, Log& log) {
  // An exactly sized heap copy: reading one byte past it is an ASan error.
  std::unique_ptr<char[]> buf(new char[bytes.size() ? bytes.size() : 1]);
  if (!bytes.empty()) std::memcpy(buf.get(), bytes.data(), bytes.size());
  const std::size_t used = p.consume(std::span<char>(buf.get(), bytes.size()), log);
  if (used > bytes.size()) std::abort();
  const bool stopped = p.error() || p.closed();
  // Only a partial header may be left over while the parser is running.
  if (!stopped && bytes.size() - used >= max_header_size) std::abort();
  if (p.error() && p.close_code() != 1002 && p.close_code() != 1007 && p.close_code() != 1009) std::abort();
  if (p.buffered() > log.max_message) std::abort();
  if (stopped && p.buffered() != 0) std::abort();  // memory given back
  if (stopped && p.consume(std::span<char>(buf.get(), bytes.size()), log) != 0) std::abort();
  return used;
}

template <Role R>
Result whole(std::string_view stream, std::size_t max) {
  Parser<R> p(max);
  Log log{{}, max};
  offer(p, stream, log);
  return {std::move(log.s), p.error(), p.close_code(), p.closed()};
}

template <Role R>
Result chunked(std::string_view stream, std::size_t max, const std::uint8_t* sizes) {
  Parser<R> p(max);
  Log log{{}, max};
  std::string pending;
  std::size_t off = 0;
  for (std::size_t i = 0; off < stream.size(); ++i) {
    const std::size_t n = std::min<std::size_t>(sizes[i % 8] + 1u, stream.size() - off);
    pending.append(stream.substr(off, n));
    off += n;
    const std::size_t used = offer(p, pending, log);
    if (p.error() || p.closed()) break;
    pending.erase(0, used);
  }
  return {std::move(log.s), p.error(), p.close_code(), p.closed()};
}

template <Role R>
void check(std::string_view stream, std::size_t max, const std::uint8_t* sizes) {
  const Result a = whole<R>(stream, max);
  const Result b = chunked<R>(stream, max, sizes);
  if (a.events != b.events || a.error != b.error || a.close_code != b.close_code || a.closed != b.closed)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  const std::size_t max = std::size_t{1} << (data[0] % 21);
  const std::uint8_t* sizes = data + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data + 9), size - 9);
  check<Role::server>(stream, max, sizes);
  check<Role::client>(stream, max, sizes);
  return 0;
}
