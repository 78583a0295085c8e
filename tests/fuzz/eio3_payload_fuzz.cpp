// Engine.IO protocol 3 payloads (socket.io-client 2.x under allow_eio3): the
// first byte picks the form (even: a text payload, odd: a binary payload),
// the rest is the body. Decoding never crashes; whatever decodes re-encodes,
// in the same form, into a payload that decodes to the same packets; and a
// UTF-16 length prefix found in the body holds exactly that many units.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_require.hpp"
#include "wire/eio3_payload.hpp"

namespace eio3 = sio::wire::eio3;
namespace eio = sio::wire::eio;

namespace {

struct Item {
  eio::PacketType type;
  bool binary;
  std::string data;
  bool operator==(const Item&) const = default;
};

std::vector<Item> decode(std::string_view body, bool binary_form, bool& ok) {
  std::vector<Item> items;
  std::string scratch;
  auto keep = [&](const eio::Packet& p) { items.push_back({p.type, p.binary, std::string(p.data)}); };
  ok = !(binary_form ? eio3::decode_binary_payload(body, scratch, keep) : eio3::decode_text_payload(body, scratch, keep));
  return items;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool binary_form = data[0] & 1;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  // The length rule on its own: a prefix of `units` UTF-16 units is that long.
  const std::size_t units = eio3::utf16_length(body);
  for (std::size_t u : {units, units / 2, std::size_t{1}}) {
    const std::size_t n = eio3::utf8_prefix_of_units(body, u);
    if (n != std::string_view::npos) FUZZ_REQUIRE(n <= body.size() && eio3::utf16_length(body.substr(0, n)) == u);
  }

  bool ok = false;
  const std::vector<Item> items = decode(body, binary_form, ok);
  if (!ok) return 0;

  std::string again_body;
  for (const Item& it : items) {
    std::string encoded;
    if (it.binary) {
      encoded = it.data;
    } else {
      eio::append_text(encoded, it.type, it.data);
    }
    if (binary_form) {
      eio3::append_binary_item(again_body, encoded, it.binary);
    } else {
      eio3::append_text_item(again_body, encoded, it.binary);
    }
  }
  bool again_ok = false;
  const std::vector<Item> again = decode(again_body, binary_form, again_ok);
  FUZZ_REQUIRE(again_ok || items.empty());
  FUZZ_REQUIRE(again == items);
  return 0;
}
