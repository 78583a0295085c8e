// Socket.IO protocol 5 packets, pure (spec: socket.io docs/socket.io-protocol/v5-current.md).
//
// | type          | id | payload                               | sent by          |
// |---------------|----|---------------------------------------|------------------|
// | CONNECT       | 0  | object, optional (auth / {"sid":...}) | both             |
// | DISCONNECT    | 1  | none                                  | both             |
// | EVENT         | 2  | array [name, ...args], ack id opt.    | both             |
// | ACK           | 3  | array [...args], ack id               | both             |
// | CONNECT_ERROR | 4  | object {"message", "data"?} or string | server           |
// | BINARY_EVENT  | 5  | as EVENT, + N binary attachments      | both             |
// | BINARY_ACK    | 6  | as ACK, + N binary attachments        | both             |
//
// Text form: <type>[<N>-][<namespace>,][<ack id>][<JSON>]; the namespace is
// written only when it is not "/". A binary packet's attachments follow it as
// N binary Engine.IO messages; inside the JSON each one is a placeholder
// {"_placeholder":true,"num":i}.
//
// BINARY_EVENT / BINARY_ACK are not separate alternatives below: "binary" is a
// property of the payload (attachments present), so they decode to Event / Ack
// with non-empty `attachments`, and the encoder picks type 5 / 6 from that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <sio/error.hpp>

#include "wire/shared_bytes.hpp"

namespace sio::wire::socketio {

enum class PacketType : std::uint8_t {
  connect = 0,
  disconnect = 1,
  event = 2,
  ack = 3,
  connect_error = 4,
  binary_event = 5,
  binary_ack = 6,
};

// Largest ack id accepted: JavaScript numbers are exact up to 2^53 - 1, so a
// larger id could not be acknowledged faithfully by a JavaScript peer.
inline constexpr std::uint64_t kMaxAckId = 9007199254740991ULL;
// Attachments per packet: socket.io-parser's default maxAttachments.
inline constexpr std::size_t kDefaultMaxAttachments = 10;

using Attachments = std::vector<std::string>;  // raw bytes, in num order

struct Connect {
  std::string nsp = "/";
  std::optional<boost::json::object> data;  // client: auth; server: {"sid": ...}
};
struct Disconnect {
  std::string nsp = "/";
};
struct Event {
  std::string nsp = "/";
  std::optional<std::uint64_t> id;  // set: the sender wants an ACK
  boost::json::array data;          // [name, ...args], placeholders for attachments
  Attachments attachments;
};
struct Ack {
  std::string nsp = "/";
  std::uint64_t id = 0;
  boost::json::array data;
  Attachments attachments;
};
struct ConnectError {
  std::string nsp = "/";
  boost::json::value data;  // {"message": ..., "data"?: ...}
};

using Packet = std::variant<Connect, Disconnect, Event, Ack, ConnectError>;

const std::string& namespace_of(const Packet& p) noexcept;

// Event names a peer may not send (socket.io-parser's RESERVED_EVENTS).
bool is_reserved_event(std::string_view name) noexcept;

// ---- encoding ----

// The header: <type>[<N>-][<nsp>,][<id>]. `attachments` > 0 only for the
// binary types.
void append_header(std::string& out, PacketType type, std::string_view nsp, std::size_t attachments,
                   std::optional<std::uint64_t> id);

// Appends the text form of `p` (no Engine.IO prefix).
void append_text(std::string& out, const Packet& p);

// A packet ready for the engine: `text` is the whole Engine.IO message
// ("4" + text form, one allocation), then one binary message per attachment.
struct Encoded {
  SharedBytes text;
  std::vector<SharedBytes> attachments;
};

Encoded encode(const Packet& p);

// "4" + `packet_text` as one SharedBytes.
SharedBytes engine_message(std::string_view packet_text);

// ---- decoding ----

// Decodes a stream of Engine.IO messages (one connection's) into packets,
// reassembling binary packets from the text packet and the binary messages
// that follow it. Every violation is an error: the caller closes the
// connection ("parse error").
class Decoder {
 public:
  explicit Decoder(std::size_t max_attachments = kDefaultMaxAttachments) : max_attachments_(max_attachments) {}

  // Feeds one message (`binary`: an Engine.IO binary message). Returns an
  // error, or success with `out` set when a packet is complete (left empty
  // while attachments are still expected). After an error the decoder is
  // reset.
  std::error_code feed(std::string_view data, bool binary, std::optional<Packet>& out);

  bool awaiting_attachments() const noexcept { return pending_.has_value(); }
  // Why the last error happened, for logs and tests ("unknown packet type", ...).
  std::string_view error_detail() const noexcept { return detail_; }
  void reset() noexcept;

 private:
  std::error_code fail(errc e, const char* detail);
  std::error_code decode_text(std::string_view s, std::optional<Packet>& out);

  std::size_t max_attachments_;
  std::optional<Packet> pending_;  // a binary Event/Ack awaiting attachments
  std::size_t expected_ = 0;
  const char* detail_ = "";
};

}  // namespace sio::wire::socketio
