#include "wire/eio_packet.hpp"

#include "wire/base64.hpp"

namespace sio::wire::eio {

bool decode_text(std::string_view in, Packet& out) noexcept {
  if (in.empty()) return false;
  const char c = in[0];
  if (c < '0' || c > '6') return false;
  out.type = static_cast<PacketType>(c - '0');
  out.binary = false;
  out.data = in.substr(1);
  return true;
}

bool decode_polling_item(std::string_view item, std::string& scratch, Packet& out) {
  if (item.empty()) return false;
  if (item[0] == 'b') {
    scratch.clear();
    if (!base64_decode_append(scratch, item.substr(1))) return false;
    out = binary_message(scratch);
    return true;
  }
  return decode_text(item, out);
}

void append_text(std::string& out, PacketType type, std::string_view data) {
  out.push_back(static_cast<char>('0' + static_cast<int>(type)));
  out.append(data);
}

void append_polling(std::string& out, std::string_view encoded, bool binary) {
  if (!out.empty()) out.push_back(kRecordSeparator);
  if (binary) {
    out.push_back('b');
    base64_append(out, encoded);
  } else {
    out.append(encoded);
  }
}

}  // namespace sio::wire::eio
