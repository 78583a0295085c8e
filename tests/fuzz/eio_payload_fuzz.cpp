// Engine.IO text packets and polling payloads: decoding never crashes, and
// whatever decodes re-encodes into a payload that decodes to the same packets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "wire/eio_packet.hpp"

using namespace sio::wire::eio;

namespace {
struct Item {
  PacketType type;
  bool binary;
  std::string data;
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  Packet single;
  if (decode_text(in, single) && single.data.size() + 1 != in.size()) std::abort();

  std::string scratch;
  std::vector<Item> items;
  auto ec = decode_payload(in, scratch, [&](const Packet& p) { items.push_back({p.type, p.binary, std::string(p.data)}); });
  if (ec) return 0;

  std::string body;
  for (const auto& it : items) {
    if (it.binary) {
      append_polling(body, it.data, true);
    } else {
      std::string text;
      append_text(text, it.type, it.data);
      append_polling(body, text, false);
    }
  }
  std::vector<Item> again;
  if (decode_payload(body, scratch, [&](const Packet& p) { again.push_back({p.type, p.binary, std::string(p.data)}); }))
    std::abort();
  if (again.size() != items.size()) std::abort();
  for (std::size_t i = 0; i < items.size(); ++i)
    if (again[i].type != items[i].type || again[i].binary != items[i].binary || again[i].data != items[i].data)
      std::abort();
  return 0;
}
