#include "event_codec.hpp"

#include <charconv>

namespace sio::bench {

EventCodec::EventCodec(std::string nsp, std::string payload) : nsp_(std::move(nsp)), payload_(std::move(payload)) {
  const bool root = nsp_ == "/";
  connect_ = root ? "40" : "40" + nsp_ + ",";
  prefix_ = root ? "2" : "2" + nsp_ + ",";
  tail_ = ",\"" + payload_ + "\"]";
}

void EventCodec::event_packet(std::string& out, std::string_view event, std::uint64_t seq,
                              std::optional<std::uint64_t> ack_id) const {
  out.clear();
  out += '4';
  out += prefix_;
  char digits[24];
  if (ack_id) out.append(digits, std::to_chars(digits, digits + sizeof digits, *ack_id).ptr);
  out += "[\"";
  out += event;
  out += "\",";
  out.append(digits, std::to_chars(digits, digits + sizeof digits, seq).ptr);
  out += tail_;
}

EventCodec::Incoming EventCodec::decode(std::string_view d) const {
  Incoming in;
  if (d.empty()) {
    in.detail = "empty Socket.IO packet";
    return in;
  }
  const char type = d[0];
  // The namespace: present unless it is "/".
  std::string_view rest = d.substr(1);
  if (nsp_ != "/") {
    // "<type>/name,..." for every packet of a namespace other than "/".
    if (rest.size() <= nsp_.size() || rest.substr(0, nsp_.size()) != nsp_ || rest[nsp_.size()] != ',') {
      in.detail = "packet for another namespace";
      return in;
    }
    rest.remove_prefix(nsp_.size() + 1);
  } else if (!rest.empty() && rest[0] == '/') {
    in.detail = "packet for another namespace";
    return in;
  }
  switch (type) {
    case '0':
      // {"sid":"..."} (protocol v5)
      if (rest.size() < 2 || rest.front() != '{' || rest.back() != '}' || rest.find("\"sid\"") == std::string_view::npos) {
        in.detail = "CONNECT answer without {\"sid\":...}";
        return in;
      }
      in.kind = Incoming::Kind::joined;
      return in;
    case '1':
      in.kind = Incoming::Kind::disconnect;
      return in;
    case '4':
      in.kind = Incoming::Kind::connect_error;
      in.detail = rest.substr(0, 200);
      return in;
    case '2':
      break;
    case '3': {
      // ACK: <id>[<seq>,"<payload>"] (the echo server acknowledges with the event's arguments)
      const char* end = rest.data() + rest.size();
      const auto id = std::from_chars(rest.data(), end, in.ack_id);
      if (id.ec != std::errc{} || id.ptr == end || *id.ptr != '[') {
        in.detail = "ACK without <id>[...]";
        return in;
      }
      in.kind = Incoming::Kind::ack;
      const auto seq = std::from_chars(id.ptr + 1, end, in.seq);
      in.well_formed = seq.ec == std::errc{} && std::string_view(seq.ptr, static_cast<std::size_t>(end - seq.ptr)) == tail_;
      return in;
    }
    default:
      in.detail = "unexpected Socket.IO packet type";
      return in;
  }
  // EVENT: [ack id] ["<name>", ...]
  while (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') rest.remove_prefix(1);
  if (rest.size() < 4 || rest[0] != '[' || rest[1] != '"') {
    in.detail = "EVENT without [\"name\", ...]";
    return in;
  }
  const std::size_t q = rest.find('"', 2);
  if (q == std::string_view::npos) {
    in.detail = "EVENT name not terminated";
    return in;
  }
  in.kind = Incoming::Kind::event;
  in.event = rest.substr(2, q - 2);
  rest.remove_prefix(q + 1);
  if (rest.size() < 2 || rest[0] != ',') return in;
  const auto r = std::from_chars(rest.data() + 1, rest.data() + rest.size(), in.seq);
  if (r.ec != std::errc{}) return in;
  in.well_formed = std::string_view(r.ptr, static_cast<std::size_t>(rest.data() + rest.size() - r.ptr)) == tail_;
  return in;
}

std::string make_payload(std::size_t n) {
  static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
  std::string s(n, 'x');
  std::uint32_t x = 2463534242u;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = alphabet[x % alphabet.size()];
  }
  return s;
}

}  // namespace sio::bench
