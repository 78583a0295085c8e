// libFuzzer target: the Socket.IO packet decoder, with binary attachments.
//
// Input: Engine.IO messages separated by '\n'; a message starting with 'b' is
// binary (the bytes after the 'b'), any other is text. Every decoded packet
// must survive encode -> decode unchanged (the encoder writes only what the
// decoder accepts).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire/sio_packet.hpp"

namespace sp = sio::wire::socketio;

namespace {

void check_round_trip(const sp::Packet& p) {
  std::string text;
  sp::append_text(text, p);
  sp::Encoded enc = sp::encode(p);
  if (enc.text.view().substr(1) != text || enc.text.view()[0] != '4') std::abort();

  sp::Decoder d(enc.attachments.size() + 1);
  std::optional<sp::Packet> back;
  if (d.feed(text, false, back)) std::abort();
  for (const auto& a : enc.attachments)
    if (d.feed(a.view(), true, back)) std::abort();
  if (!back || back->index() != p.index()) std::abort();
  std::string again;
  sp::append_text(again, *back);
  if (again != text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  sp::Decoder decoder(4);
  std::optional<sp::Packet> out;
  while (!in.empty()) {
    const std::size_t nl = in.find('\n');
    std::string_view msg = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    const bool binary = !msg.empty() && msg[0] == 'b';
    if (binary) msg.remove_prefix(1);
    if (decoder.feed(msg, binary, out)) {
      if (decoder.awaiting_attachments()) std::abort();  // an error resets the decoder
      continue;
    }
    if (out) check_round_trip(*out);
  }
  return 0;
}
