#include "wire/sio_packet.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>


#include "wire/sio_json.hpp"

namespace sio::wire::socketio {
namespace json = boost::json;

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_binary_type(PacketType t) noexcept {
  return t == PacketType::binary_event || t == PacketType::binary_ack;
}

// A namespace is a path; control characters never belong in one and would
// end up in logs and room names.
bool namespace_valid(std::string_view nsp) noexcept {
  for (char c : nsp) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool event_name_valid(const json::array& data) noexcept {
  if (data.empty()) return false;
  const json::value& name = data[0];
  // socket.io accepts numeric event names (1e400 overflows to infinity,
  // which JSON cannot carry)
  if (name.is_double()) return std::isfinite(name.get_double());
  if (name.is_number()) return true;
  return name.is_string() && !is_reserved_event(name.get_string());
}

// The scratch string encode() writes into before the single copy into shared
// bytes; per thread, so encoding never allocates once it has warmed up.
std::string& scratch() {
  thread_local std::string s;
  return s;
}

}  // namespace

const std::string& namespace_of(const Packet& p) noexcept {
  return std::visit([](const auto& v) -> const std::string& { return v.nsp; }, p);
}

bool is_reserved_event(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 6> reserved{
      "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"};
  for (auto r : reserved)
    if (r == name) return true;
  return false;
}

// ---- encoding ----

void append_header(std::string& out, PacketType type, std::string_view nsp, std::size_t attachments,
                   std::optional<std::uint64_t> id) {
  out.push_back(static_cast<char>('0' + static_cast<int>(type)));
  char buf[24];
  if (is_binary_type(type)) {
    auto r = std::to_chars(buf, buf + sizeof buf, attachments);
    out.append(buf, r.ptr);
    out.push_back('-');
  }
  if (!nsp.empty() && nsp != "/") {
    out.append(nsp);
    out.push_back(',');
  }
  if (id) {
    auto r = std::to_chars(buf, buf + sizeof buf, *id);
    out.append(buf, r.ptr);
  }
}

void append_text(std::string& out, const Packet& p) {
  struct Visitor {
    std::string& out;
    void operator()(const Connect& c) const {
      append_header(out, PacketType::connect, c.nsp, 0, std::nullopt);
      if (c.data) append_json(out, *c.data);
    }
    void operator()(const Disconnect& d) const { append_header(out, PacketType::disconnect, d.nsp, 0, std::nullopt); }
    void operator()(const Event& e) const {
      const bool bin = !e.attachments.empty();
      append_header(out, bin ? PacketType::binary_event : PacketType::event, e.nsp, e.attachments.size(), e.id);
      append_json(out, e.data);
    }
    void operator()(const Ack& a) const {
      const bool bin = !a.attachments.empty();
      append_header(out, bin ? PacketType::binary_ack : PacketType::ack, a.nsp, a.attachments.size(), a.id);
      append_json(out, a.data);
    }
    void operator()(const ConnectError& c) const {
      append_header(out, PacketType::connect_error, c.nsp, 0, std::nullopt);
      append_json(out, c.data);
    }
  };
  std::visit(Visitor{out}, p);
}

SharedBytes engine_message(std::string_view packet_text) {
  auto b = SharedBytes::allocate(packet_text.size() + 1);
  b.mutable_data()[0] = '4';
  if (!packet_text.empty()) std::memcpy(b.mutable_data() + 1, packet_text.data(), packet_text.size());
  return b;
}

Encoded encode(const Packet& p) {
  std::string& buf = scratch();
  buf.assign(1, '4');
  append_text(buf, p);
  Encoded e;
  e.text = SharedBytes::copy_of(buf);
  if (buf.capacity() > (1u << 20)) std::string().swap(buf);  // do not pin a huge buffer
  const Attachments* atts = nullptr;
  if (const auto* ev = std::get_if<Event>(&p)) atts = &ev->attachments;
  if (const auto* ack = std::get_if<Ack>(&p)) atts = &ack->attachments;
  if (atts) {
    e.attachments.reserve(atts->size());
    for (const auto& a : *atts) e.attachments.push_back(SharedBytes::copy_of(a));
  }
  return e;
}

// ---- decoding ----

void Decoder::reset() noexcept {
  pending_.reset();
  expected_ = 0;
}

std::error_code Decoder::fail(errc e, const char* detail) {
  reset();
  detail_ = detail;
  return make_error_code(e);
}

std::error_code Decoder::feed(std::string_view data, bool binary, std::optional<Packet>& out) {
  out.reset();
  if (!binary) {
    if (pending_) return fail(errc::sio_bad_packet, "text message while awaiting attachments");
    return decode_text(data, out);
  }
  if (!pending_) return fail(errc::sio_bad_packet, "unexpected binary message");
  // pending_ only ever holds an Event or an Ack
  json::array* data_array = nullptr;
  Attachments* atts = nullptr;
  if (auto* e = std::get_if<Event>(&*pending_)) {
    data_array = &e->data;
    atts = &e->attachments;
  } else {
    auto& a = std::get<Ack>(*pending_);
    data_array = &a.data;
    atts = &a.attachments;
  }
  atts->emplace_back(data);
  if (atts->size() < expected_) return {};
  if (!placeholders_valid(*data_array, atts->size())) return fail(errc::sio_bad_packet, "illegal attachments");
  out = std::move(pending_);
  reset();
  return {};
}

std::error_code Decoder::decode_text(std::string_view s, std::optional<Packet>& out) {
  if (s.empty()) return fail(errc::sio_bad_packet, "empty packet");
  if (s[0] < '0' || s[0] > '6') return fail(errc::sio_bad_packet, "unknown packet type");
  const auto type = static_cast<PacketType>(s[0] - '0');
  std::size_t i = 1;

  std::size_t attachments = 0;
  if (is_binary_type(type)) {
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i == s.size() || s[i] != '-') return fail(errc::sio_bad_packet, "bad attachment count");
    if (i - start > 9) return fail(errc::sio_too_many_attachments, "too many attachments");
    std::from_chars(s.data() + start, s.data() + i, attachments);
    if (attachments == 0) return fail(errc::sio_bad_packet, "bad attachment count");
    if (attachments > max_attachments_) return fail(errc::sio_too_many_attachments, "too many attachments");
    ++i;  // '-'
  }

  std::string_view nsp = "/";
  if (i < s.size() && s[i] == '/') {
    const std::size_t comma = s.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? s.size() : comma;
    nsp = s.substr(i, end - i);
    i = comma == std::string_view::npos ? s.size() : comma + 1;
    if (!namespace_valid(nsp)) return fail(errc::sio_bad_packet, "bad namespace");
  }

  std::optional<std::uint64_t> id;
  if (i < s.size() && is_digit(s[i])) {
    std::uint64_t v = 0;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
      if (v > kMaxAckId) return fail(errc::sio_bad_packet, "bad ack id");
    }
    id = v;
  }

  const std::string_view rest = s.substr(i);
  json::value payload;
  const bool has_payload = !rest.empty();
  if (has_payload) {
    std::error_code ec;
    payload = parse_json(rest, ec);
    if (ec) return fail(errc::sio_bad_packet, "invalid JSON payload");
  }

  switch (type) {
    case PacketType::connect: {
      if (id) return fail(errc::sio_bad_packet, "bad ack id");
      Connect c{std::string(nsp), std::nullopt};
      if (has_payload) {
        if (!payload.is_object()) return fail(errc::sio_bad_packet, "CONNECT payload is not an object");
        c.data = std::move(payload.get_object());
      }
      out = std::move(c);
      return {};
    }
    case PacketType::disconnect:
      if (id) return fail(errc::sio_bad_packet, "bad ack id");
      if (has_payload) return fail(errc::sio_bad_packet, "DISCONNECT with a payload");
      out = Disconnect{std::string(nsp)};
      return {};
    case PacketType::event:
    case PacketType::binary_event: {
      if (!has_payload || !payload.is_array()) return fail(errc::sio_bad_packet, "EVENT payload is not an array");
      if (!event_name_valid(payload.get_array())) return fail(errc::sio_bad_packet, "bad event name");
      Event e{std::string(nsp), id, std::move(payload.get_array()), {}};
      if (attachments == 0) {
        out = std::move(e);
        return {};
      }
      e.attachments.reserve(attachments);
      pending_ = std::move(e);
      expected_ = attachments;
      return {};
    }
    case PacketType::ack:
    case PacketType::binary_ack: {
      if (!id) return fail(errc::sio_bad_packet, "ACK without an id");
      if (!has_payload || !payload.is_array()) return fail(errc::sio_bad_packet, "ACK payload is not an array");
      Ack a{std::string(nsp), *id, std::move(payload.get_array()), {}};
      if (attachments == 0) {
        out = std::move(a);
        return {};
      }
      a.attachments.reserve(attachments);
      pending_ = std::move(a);
      expected_ = attachments;
      return {};
    }
    case PacketType::connect_error:
      if (id) return fail(errc::sio_bad_packet, "bad ack id");
      if (!has_payload || !(payload.is_object() || payload.is_string()))
        return fail(errc::sio_bad_packet, "CONNECT_ERROR payload is not an object");
      out = ConnectError{std::string(nsp), std::move(payload)};
      return {};
  }
  return fail(errc::sio_bad_packet, "unknown packet type");
}

}  // namespace sio::wire::socketio
