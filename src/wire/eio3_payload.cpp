#include "wire/eio3_payload.hpp"

#include <array>
#include <charconv>

#include "wire/base64.hpp"

namespace sio::wire::eio3 {

namespace {
// Length of the well-formed-enough sequence a lead byte starts (1 for ASCII
// and for bytes that start none), and the UTF-16 units it stands for.
struct Seq {
  std::size_t bytes;
  std::size_t units;
};
Seq sequence_at(std::string_view s, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n <= 1 || i + n > s.size()) return {1, 1};
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return {1, 1};
  return {n, n == 4 ? 2u : 1u};
}

void append_decimal(std::string& out, std::size_t n) {
  std::array<char, 24> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), n);
  out.append(buf.data(), r.ptr);
}
}  // namespace

std::size_t utf16_length(std::string_view utf8) noexcept {
  std::size_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {  // the common case
      ++i;
      ++units;
      continue;
    }
    const Seq q = sequence_at(utf8, i);
    i += q.bytes;
    units += q.units;
  }
  return units;
}

std::size_t utf8_prefix_of_units(std::string_view utf8, std::size_t units) noexcept {
  std::size_t i = 0;
  while (units > 0) {
    if (i >= utf8.size()) return std::string_view::npos;
    const Seq q = sequence_at(utf8, i);
    if (q.units > units) return std::string_view::npos;  // ends inside a pair
    i += q.bytes;
    units -= q.units;
  }
  return i;
}

bool decode_item(std::string_view item, std::string& scratch, Packet& out) {
  if (item.size() >= 2 && item[0] == 'b') {
    if (item[1] != '4') return false;
    scratch.clear();
    if (!base64_decode_append(scratch, item.substr(2))) return false;
    out = eio::binary_message(scratch);
    return true;
  }
  return eio::decode_text(item, out);
}

bool decode_binary_frame(std::string_view frame, Packet& out) noexcept {
  if (frame.empty() || frame[0] != static_cast<char>(PacketType::message)) return false;
  out = eio::binary_message(frame.substr(1));
  return true;
}

void append_text_item(std::string& out, std::string_view encoded, bool binary) {
  if (binary) {
    append_decimal(out, 2 + base64_encoded_size(encoded.size()));  // base64 is ASCII: bytes = units
    out += ":b4";
    base64_append(out, encoded);
    return;
  }
  append_decimal(out, utf16_length(encoded));
  out.push_back(':');
  out.append(encoded);
}

void append_binary_item(std::string& out, std::string_view encoded, bool binary) {
  out.push_back(binary ? '\x01' : '\x00');
  const std::size_t len = encoded.size() + (binary ? 1 : 0);
  std::array<char, 24> digits{};
  auto r = std::to_chars(digits.data(), digits.data() + digits.size(), len);
  for (const char* d = digits.data(); d != r.ptr; ++d) out.push_back(static_cast<char>(*d - '0'));
  out.push_back('\xFF');
  if (binary) out.push_back(static_cast<char>(PacketType::message));
  out.append(encoded);
}

}  // namespace sio::wire::eio3
