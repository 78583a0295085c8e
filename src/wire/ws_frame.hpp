// WebSocket frames (RFC 6455), pure: bytes in, events out; no I/O, no clocks.
// Role-templated: a server parser expects masked frames and a client parser
// unmasked ones; writers do the converse.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-------+-+-------------+-------------------------------+
// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
// | |1|2|3|       |K|             |                               |
// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
// |     Extended payload length continued, if payload len == 127  |
// + - - - - - - - - - - - - - - - +-------------------------------+
// |                               | Masking-key, if MASK set to 1  |
// +-------------------------------+-------------------------------+
// | Masking-key (continued)       |          Payload Data         |
// +-------------------------------- - - - - - - - - - - - - - - - +
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <sio/error.hpp>

#include "wire/utf8.hpp"

namespace sio::wire::ws {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

enum class Role { server, client };

namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t no_status = 1005;      // never on the wire
inline constexpr std::uint16_t abnormal = 1006;       // never on the wire
inline constexpr std::uint16_t invalid_payload = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t too_big = 1009;
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t try_again_later = 1013;  // IANA registry: the server is overloaded
}  // namespace close_code

// May this close code appear in a close frame?
bool valid_close_code(std::uint16_t code) noexcept;

inline constexpr std::size_t max_header_size = 14;

// Writes a frame header into `out` (at least max_header_size bytes) and
// returns its length. With `mask_key` (client role) the MASK bit and key are
// written; the caller masks the payload with apply_mask.
std::size_t write_header(char* out, Opcode op, bool fin, std::uint64_t payload_len,
                         const std::uint32_t* mask_key = nullptr) noexcept;

// XORs `data` with the 4-byte key, as if `data` started `offset` bytes into
// the payload. Fast (word at a time). The key's bytes are used in the order
// they lie in memory, which is the order write_header puts them on the wire
// (and the parser reads them), so any uint32_t works as a key on any host.
void apply_mask(char* data, std::size_t n, std::uint32_t key, std::size_t offset = 0) noexcept;

// A whole frame, header and payload, for `R` (the client role masks with `mask_key`).
template <Role R>
std::string encode_frame(Opcode op, std::string_view payload, bool fin = true,
                         std::uint32_t mask_key = 0x12345678);

// Close frame payload: 2-byte code + reason (empty when code is no_status).
std::string close_payload(std::uint16_t code, std::string_view reason = {});

// What a parser reports; a handler implements these four:
//   void on_message(Opcode op, std::string_view payload);  // text or binary, whole message
//   void on_ping(std::string_view payload);
//   void on_pong(std::string_view payload);
//   void on_close(std::uint16_t code, std::string_view reason);  // code 1005 if absent
// Views are valid during the call only.

// Incremental frame parser. Feed it whatever bytes arrived; it unmasks in
// place, reassembles fragmented messages (control frames may come between
// fragments), validates UTF-8 of text messages as fragments arrive, and
// checks every rule of RFC 6455 section 5. Idle (no partial message) it holds
// no heap memory.
template <Role R>
class Parser {
 public:
  // max_message_size (1 MiB by default): the largest text or binary message
  // accepted, checked against each frame header before anything is buffered.
  explicit Parser(std::size_t max_message_size = 1u << 20) : max_message_(max_message_size) {}

  // Consumes bytes from `in`. Returns how many were consumed; the rest (at
  // most a partial frame header, < max_header_size bytes) must be offered
  // again at the front of the next call. A message that is wholly inside `in`
  // is delivered as a view of `in` without copying. On a violation it stops,
  // error() and close_code() say why; it consumes nothing more. After a close
  // frame it consumes nothing more either.
  //
  // Payload bytes are unmasked in place in `in`. The payload of a frame that
  // is cut off at the end of `in` is consumed: unmasked and appended to the
  // message buffer (or, for a control frame, to a 125-byte inline buffer).
  template <class Handler>
  std::size_t consume(std::span<char> in, Handler& h);

  std::error_code error() const noexcept { return error_; }
  // The close code to send for error(): 1002, 1007 or 1009.
  std::uint16_t close_code() const noexcept { return close_code_; }
  bool closed() const noexcept { return closed_; }
  // Bytes held for a message still in progress.
  std::size_t buffered() const noexcept { return message_.size(); }
  // Heap held for it (the buffer's capacity): 0 when idle.
  std::size_t held() const noexcept { return message_.capacity(); }
  // A data message has begun (a fragment, or a frame cut off) and not ended.
  bool in_message() const noexcept { return in_message_; }
  void set_max_message_size(std::size_t n) noexcept { max_message_ = n; }

 private:
  struct Header {
    Opcode op = Opcode::binary;
    bool fin = false;
    std::uint8_t size = 0;   // header bytes, 2..14
    std::uint32_t key = 0;   // masking key (server role), wire byte order in memory
    std::uint64_t len = 0;   // payload length
  };

  // 0 when `n` bytes are not a whole header yet, or on a violation (error_ set).
  std::size_t read_header(const char* p, std::size_t n, Header& out) noexcept;
  std::size_t reject(sio::errc e) noexcept;  // fail(e), then 0 for read_header
  // Takes `n` payload bytes of the frame in progress (frame_*): unmasks them
  // and appends them to message_ or control_. False on invalid UTF-8.
  bool take_payload(char* d, std::size_t n);
  template <class Handler>
  void on_control(Opcode op, std::string_view payload, Handler& h);
  template <class Handler>
  void finish_message(Handler& h);
  void reserve_for(std::size_t n);
  void fail(sio::errc e) noexcept;
  // The message buffer's capacity is given back whenever a message ends (or
  // the parser fails or closes): an idle parser holds no heap memory, which
  // matters with many mostly idle connections. The price is one allocation per
  // message that did not arrive whole in one read; whole single-frame messages
  // never touch the buffer.
  void release_message() noexcept { std::string().swap(message_); }

  std::size_t max_message_;
  std::string message_;          // fragments so far / partial frame payload
  Utf8Validator utf8_;           // the text message in progress
  std::error_code error_;
  std::uint16_t close_code_ = 0;
  bool closed_ = false;

  // A fragmented (or cut off) data message in progress.
  bool in_message_ = false;
  Opcode message_op_ = Opcode::binary;

  // A frame whose header is read and whose payload is still arriving.
  bool in_frame_ = false;
  bool frame_fin_ = false;
  Opcode frame_op_ = Opcode::binary;
  std::uint8_t frame_mask_pos_ = 0;  // payload offset of the next byte, mod 4
  std::uint32_t frame_key_ = 0;
  std::uint64_t frame_remaining_ = 0;

  // Payload of a control frame cut off at the end of the input (at most 125
  // bytes; on the heap only then, so an idle parser stays small).
  std::string control_;
};

}  // namespace sio::wire::ws

#include "wire/ws_frame_impl.hpp"
