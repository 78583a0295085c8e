// Fuzzes the client's side of WebSocket framing: what a server writes, the
// client's parser (Parser<Role::client>, as net/client/ws_transport uses it)
// must read back exactly, and what breaks a rule must fail with the close
// code RFC 6455 gives it, after exactly the events that came before.
//
// Input layout:
//   byte 0      the maximum message size: 1 << (byte % 21) bytes (1 B .. 1 MiB)
//   bytes 1..8  a cycle of chunk sizes (byte + 1, so 1..256 bytes per read,
//               times 1 + the stream's size in KiB)
//   the rest    a script; each step appends frames, written with the server
//               role's writer, to one stream, and the events (or the error)
//               they must give to a model. A step starts with a byte `op`:
//     op % 8 == 0 / 1  a text / binary message: a length byte (>= 248 picks a
//                      size around the 7- and 16-bit length forms, up to 4 KiB,
//                      filled with `op`), the payload, split into 1 + (op >> 3) % 4
//                      fragments, a ping between fragments when op & 0x20; its
//                      frames' lengths in the 16-bit form when op >> 6 == 2, in
//                      the 64-bit form when 3 (longer than needed: allowed),
//                      in the shortest otherwise
//     2 / 3            a ping / pong: a length byte (over 125 is an error), payload
//     4                a close: two code bytes (0xFFFF: no payload; 0xFFFE: a
//                      one-byte payload), a length byte, the reason
//     5                raw bytes: a count byte, then the bytes as they are; after
//                      them the model knows only the events before
//     6                a masked frame (what a client writes): protocol error
//     7                a first fragment, then a new data frame (op & 0x10) or
//                      a continuation with no message: protocol error
// The stream is parsed whole and in chunks (the unconsumed tail offered again
// in front of the next read, as the transport does); both must match the model.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_reader.hpp"
#include "wire/ws_frame.hpp"

namespace {

using namespace sio::wire::ws;

// The events as one string: kind, length, bytes.
void add_event(std::string& s, char kind, std::string_view payload) {
  s.push_back(kind);
  const auto n = static_cast<std::uint32_t>(payload.size());
  s.append(reinterpret_cast<const char*>(&n), sizeof n);
  s.append(payload);
}

struct Log {
  std::string s;
  void on_message(Opcode op, std::string_view p) { add_event(s, op == Opcode::text ? 't' : 'b', p); }
  void on_ping(std::string_view p) { add_event(s, 'i', p); }
  void on_pong(std::string_view p) { add_event(s, 'o', p); }
  void on_close(std::uint16_t code, std::string_view reason) {
    add_event(s, 'c', std::string_view(reinterpret_cast<const char*>(&code), 2));
    add_event(s, 'r', reason);
  }
};

// UTF-8 as Unicode's table of well-formed byte sequences (3-7) defines it,
// written here independently of wire/utf8. Where the first byte is that no
// well-formed text can have there (npos: none), and whether the text ends cut
// inside a character.
struct Utf8 {
  std::size_t wrong = std::string_view::npos;
  bool cut = false;
  bool whole() const { return wrong == std::string_view::npos && !cut; }
};

// Not coverage-instrumented: a byte loop over 64 KiB texts that only slows the
// run (the parser's own validator is what coverage should follow).
__attribute__((no_sanitize("coverage"))) Utf8 utf8_scan(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n;                      // continuation bytes
    std::uint8_t lo = 0x80, hi = 0xBF;  // range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return {i, false};
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k == s.size()) return {std::string_view::npos, true};
      const auto b = static_cast<std::uint8_t>(s[i + k]);
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return {i + k, false};
    }
    i += n + 1;
  }
  return {};
}

using sio::fuzz::Reader;

// The stream being written and what the client must make of it.
struct Model {
  std::size_t max;
  std::string stream;
  std::string events;          // expected, in order
  std::uint16_t error = 0;     // expected close code of a violation; 0: none
  bool closed = false;         // a close frame was accepted
  bool unknown = false;        // raw bytes: only `events` as a prefix is known
  bool ended() const { return error != 0 || closed || unknown; }

  void frame(Opcode op, std::string_view payload, bool fin, int form = 0) {
    if (form == 2 && payload.size() > 0xFFFF) form = 3;
    if (form < 2) {
      stream += encode_frame<Role::server>(op, payload, fin);
      return;
    }
    // The length in a longer form than the writer picks: 64-bit lengths
    // without 64 KiB payloads.
    stream.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(op)));
    stream.push_back(static_cast<char>(form == 2 ? 126 : 127));
    const std::uint64_t n = payload.size();
    for (int shift = form == 2 ? 8 : 56; shift >= 0; shift -= 8) stream.push_back(static_cast<char>(n >> shift));
    stream.append(payload);
  }

  void data_message(Opcode op, std::string_view payload, std::size_t pieces, bool pings, int form) {
    std::size_t size = 0;
    const Utf8 text = op == Opcode::text ? utf8_scan(payload) : Utf8{};
    for (std::size_t i = 0; i < pieces && !ended(); ++i) {
      const std::size_t from = payload.size() * i / pieces, to = payload.size() * (i + 1) / pieces;
      const bool fin = i + 1 == pieces;
      frame(i == 0 ? op : Opcode::continuation, payload.substr(from, to - from), fin, form);
      // The limit is checked on each frame's header, before its payload.
      size += to - from;
      if (size > max) {
        error = close_code::too_big;
        return;
      }
      // Text is checked as it arrives: a fragment fails on its first wrong
      // byte, the last one also when it ends inside a character.
      if (op == Opcode::text) {
        if ((text.wrong != std::string_view::npos && text.wrong < to) || (fin && text.cut)) {
          error = close_code::invalid_payload;
          return;
        }
      }
      if (fin) {
        add_event(events, op == Opcode::text ? 't' : 'b', payload);
      } else if (pings) {
        const char tag = static_cast<char>(i);
        frame(Opcode::ping, std::string_view(&tag, 1), true);
        add_event(events, 'i', std::string_view(&tag, 1));
      }
    }
  }

  void control(Opcode op, std::string_view payload) {
    frame(op, payload, true);
    if (payload.size() > 125) {
      error = close_code::protocol_error;
      return;
    }
    if (op == Opcode::ping || op == Opcode::pong) {
      add_event(events, op == Opcode::ping ? 'i' : 'o', payload);
      return;
    }
    std::uint16_t code = close_code::no_status;
    if (payload.size() == 1) {
      error = close_code::protocol_error;
      return;
    }
    if (payload.size() >= 2) {
      code = static_cast<std::uint16_t>(static_cast<std::uint8_t>(payload[0]) << 8 |
                                        static_cast<std::uint8_t>(payload[1]));
      if (!valid_close_code(code)) {
        error = close_code::protocol_error;
        return;
      }
      if (!utf8_scan(payload.substr(2)).whole()) {
        error = close_code::invalid_payload;
        return;
      }
    }
    add_event(events, 'c', std::string_view(reinterpret_cast<const char*>(&code), 2));
    add_event(events, 'r', payload.size() >= 2 ? payload.substr(2) : std::string_view());
    closed = true;
  }

  void step(Reader& r) {
    const std::uint8_t op = r.byte();
    switch (op % 8) {
      case 0:
      case 1: {
        const std::uint8_t len = r.byte();
        std::string big;
        std::string_view payload;
        if (len >= 248) {
          // Around the length forms' limits; 64 KiB payloads would cost more
          // than they add (the 64-bit form comes from op >> 6 == 3).
          static constexpr std::size_t sizes[] = {125, 126, 127, 0, 1023, 1024, 4095, 4096};
          big.assign(sizes[len - 248u], static_cast<char>(op & 0x3F));
          payload = big;
        } else {
          payload = r.bytes(len);
        }
        data_message(op % 8 == 0 ? Opcode::text : Opcode::binary, payload, 1 + (op >> 3) % 4, op & 0x20, op >> 6);
        break;
      }
      case 2:
      case 3:
        control(op % 8 == 2 ? Opcode::ping : Opcode::pong, r.bytes(r.byte()));
        break;
      case 4: {
        const std::uint16_t code = static_cast<std::uint16_t>(r.byte() << 8 | r.byte());
        const std::string_view reason = r.bytes(r.byte());
        if (code == 0xFFFF) {
          control(Opcode::close, {});
        } else if (code == 0xFFFE) {
          control(Opcode::close, "\x03");
        } else {
          control(Opcode::close, close_payload(code, reason));
        }
        break;
      }
      case 5:
        stream.append(r.bytes(r.byte()));
        unknown = true;
        break;
      case 6:
        stream += encode_frame<Role::client>(Opcode::binary, r.bytes(r.byte()), true, 0x01020304u * op);
        error = close_code::protocol_error;
        break;
      case 7:
        if (op & 0x10) {
          const std::string_view first = r.bytes(r.byte());
          frame(Opcode::binary, first, false);
          if (first.size() > max) {
            error = close_code::too_big;
            break;
          }
          frame(Opcode::text, "x", true);
        } else {
          frame(Opcode::continuation, "x", true);
        }
        error = close_code::protocol_error;
        break;
    }
  }
};

struct Result {
  std::string events;
  std::error_code error;
  std::uint16_t close_code;
  bool closed;
};

std::size_t offer(Parser<Role::client>& p, std::string_view bytes, Log& log) {
  // An exactly sized heap copy: reading one byte past it is an ASan error.
  std::unique_ptr<char[]> buf(new char[bytes.size() ? bytes.size() : 1]);
  if (!bytes.empty()) std::memcpy(buf.get(), bytes.data(), bytes.size());
  const std::size_t used = p.consume(std::span<char>(buf.get(), bytes.size()), log);
  if (used > bytes.size()) std::abort();
  if (!(p.error() || p.closed()) && bytes.size() - used >= max_header_size) std::abort();
  return used;
}

Result whole(const Model& m) {
  Parser<Role::client> p(m.max);
  Log log;
  offer(p, m.stream, log);
  return {std::move(log.s), p.error(), p.close_code(), p.closed()};
}

Result chunked(const Model& m, const std::uint8_t* sizes) {
  Parser<Role::client> p(m.max);
  Log log;
  std::string in;  // as WsTransport keeps it: what came, minus what the parser took
  std::size_t off = 0;
  // Long streams in longer reads (1..256 bytes times one per KiB): a 64 KiB
  // message in single bytes would take most of the run.
  const std::size_t scale = 1 + m.stream.size() / 1024;
  for (std::size_t i = 0; off < m.stream.size(); ++i) {
    const std::size_t n = std::min<std::size_t>((sizes[i % 8] + 1u) * scale, m.stream.size() - off);
    in.append(m.stream, off, n);
    off += n;
    in.erase(0, offer(p, in, log));
    if (p.error() || p.closed()) break;
  }
  return {std::move(log.s), p.error(), p.close_code(), p.closed()};
}

void check(const Model& m, const Result& r) {
  if (m.unknown) {
    // What came before the raw bytes was delivered as it was written.
    if (r.events.compare(0, m.events.size(), m.events) != 0) std::abort();
    if (r.error && r.close_code != 1002 && r.close_code != 1007 && r.close_code != 1009) std::abort();
    return;
  }
  if (r.events != m.events || r.closed != m.closed) std::abort();
  if (m.error == 0 ? bool(r.error) : r.close_code != m.error) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  Model m;
  m.max = std::size_t{1} << (data[0] % 21);
  const std::uint8_t* sizes = data + 1;
  Reader r{data + 9, size - 9};
  while (r.n > 0 && !m.ended()) m.step(r);
  const Result a = whole(m);
  check(m, a);
  const Result b = chunked(m, sizes);
  check(m, b);
  if (a.events != b.events || a.error != b.error || a.closed != b.closed) std::abort();
  return 0;
}
