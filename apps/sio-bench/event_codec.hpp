// The Socket.IO packets the load tool sends and checks, written and read by
// hand so that the tool stays cheap per event: every event carries a sequence
// number and a fixed string, ["<name>",<seq>,"<payload>"], and every event
// that comes back is checked byte for byte against that shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sio::bench {

class EventCodec {
 public:
  // `nsp`: "/" or "/name"; `payload`: JSON-safe characters only.
  EventCodec(std::string nsp, std::string payload);

  // Engine.IO packets: "40" / "40/name," (join), "42[...]" (an event).
  const std::string& connect_packet() const noexcept { return connect_; }
  // Writes "42" [nsp ","] [ack id] "[\"<event>\",<seq>,\"<payload>\"]" into `out`.
  void event_packet(std::string& out, std::string_view event, std::uint64_t seq,
                    std::optional<std::uint64_t> ack_id = std::nullopt) const;

  // What arrived in a Socket.IO packet (the Engine.IO message's data).
  struct Incoming {
    enum class Kind : std::uint8_t { joined, event, ack, connect_error, disconnect, bad } kind = Kind::bad;
    std::string_view event;   // kind == event
    std::uint64_t seq = 0;    // kind == event / ack, and well-formed
    std::uint64_t ack_id = 0; // kind == ack
    bool well_formed = false; // event: exactly ["<event>",<seq>,"<payload>"]; ack: [<seq>,"<payload>"]
    std::string_view detail;  // kind == bad / connect_error: why / the server's words
  };
  Incoming decode(std::string_view data) const;

 private:
  std::string nsp_;
  std::string payload_;
  std::string connect_;
  std::string prefix_;  // "2" or "2/name,"
  std::string tail_;    // ,"<payload>"]
};

// `n` JSON-safe characters, varied so that compression or caching would not flatter anyone.
std::string make_payload(std::size_t n);

}  // namespace sio::bench
