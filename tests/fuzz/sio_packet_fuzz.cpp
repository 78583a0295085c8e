// libFuzzer target: the Socket.IO packet decoder, with binary attachments.
//
// Input: Engine.IO messages separated by '\n'; a message starting with 'b' is
// binary (the bytes after the 'b'), any other is text. Every decoded packet
// must survive encode -> decode unchanged (the encoder writes only what the
// decoder accepts), and an event or ack turned into sio::Args and sent again
// (as the server relays arguments) must decode, with no more attachments.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire/sio_args.hpp"
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

// Decodes an encoding that must be valid; returns the packet.
sp::Packet must_decode(const sp::Encoded& enc) {
  sp::Decoder d(enc.attachments.size() + 1);
  std::optional<sp::Packet> back;
  if (d.feed(enc.text.view().substr(1), false, back)) std::abort();
  for (const auto& a : enc.attachments)
    if (d.feed(a.view(), true, back)) std::abort();
  if (!back) std::abort();
  return std::move(*back);
}

void check_relay(sp::Packet p) {
  if (auto* e = std::get_if<sp::Event>(&p)) {
    if (!e->data[0].is_string()) return;
    const std::string name(e->data[0].get_string());
    const std::size_t n = e->attachments.size();
    sio::Args args = sp::to_args(std::move(e->data), std::move(e->attachments), 1);
    sp::Encoded enc = sp::encode_event(e->nsp, name, args, e->id);
    if (enc.attachments.size() > n) std::abort();
    if (!std::holds_alternative<sp::Event>(must_decode(enc))) std::abort();
  } else if (auto* a = std::get_if<sp::Ack>(&p)) {
    const std::size_t n = a->attachments.size();
    sio::Args args = sp::to_args(std::move(a->data), std::move(a->attachments), 0);
    sp::Encoded enc = sp::encode_ack(a->nsp, a->id, args);
    if (enc.attachments.size() > n) std::abort();
    if (!std::holds_alternative<sp::Ack>(must_decode(enc))) std::abort();
  }
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
    if (out) {
      check_round_trip(*out);
      check_relay(std::move(*out));
    }
  }
  return 0;
}
