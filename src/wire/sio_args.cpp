#include "wire/sio_args.hpp"

#include <cstring>

#include "wire/sio_json.hpp"

namespace sio::wire::socketio {
namespace json = boost::json;

namespace {

std::string& body_scratch() {
  thread_local std::string s;
  return s;
}

// Writes one argument, assigning packet-wide numbers to the blobs it uses.
void append_arg(std::string& out, const Payload& p, std::vector<const Binary*>& used) {
  const auto& bins = p.binaries();
  if (bins.empty()) {
    append_json(out, p.json());
    return;
  }
  std::vector<std::int64_t> number(bins.size(), -1);  // this payload's num -> packet num
  PlaceholderRemap remap = [&](std::uint64_t num) -> std::optional<std::uint64_t> {
    if (num >= bins.size()) return std::nullopt;  // not one of ours: plain data
    if (number[num] < 0) {
      // the same bytes (shared by reference) go out once, whichever argument uses them
      std::size_t i = 0;
      while (i < used.size() && !(used[i]->data() == bins[num].data() && used[i]->size() == bins[num].size())) ++i;
      if (i == used.size()) used.push_back(&bins[num]);
      number[num] = static_cast<std::int64_t>(i);
    }
    return static_cast<std::uint64_t>(number[num]);
  };
  append_json(out, p.json(), &remap);
}

Encoded finish(PacketType plain, PacketType binary, std::string_view nsp, std::optional<std::uint64_t> id,
               const std::string& body, const std::vector<const Binary*>& used) {
  std::string head;
  append_header(head, used.empty() ? plain : binary, nsp, used.size(), id);
  Encoded e;
  e.text = SharedBytes::allocate(1 + head.size() + body.size());
  char* w = e.text.mutable_data();
  *w++ = '4';
  std::memcpy(w, head.data(), head.size());
  std::memcpy(w + head.size(), body.data(), body.size());
  e.attachments.reserve(used.size());
  for (const Binary* b : used) e.attachments.push_back(SharedBytes::copy_of(b->view()));
  return e;
}

void release_if_huge(std::string& s) {
  if (s.capacity() > (1u << 20)) std::string().swap(s);
}

}  // namespace

Encoded encode_event(std::string_view nsp, std::string_view event, const Args& args,
                     std::optional<std::uint64_t> id) {
  std::string& body = body_scratch();
  body.assign(1, '[');
  append_json_string(body, event);
  std::vector<const Binary*> used;
  for (const auto& a : args) {
    body.push_back(',');
    append_arg(body, a, used);
  }
  body.push_back(']');
  Encoded e = finish(PacketType::event, PacketType::binary_event, nsp, id, body, used);
  release_if_huge(body);
  return e;
}

Encoded encode_ack(std::string_view nsp, std::uint64_t id, const Args& args) {
  std::string& body = body_scratch();
  body.assign(1, '[');
  std::vector<const Binary*> used;
  bool first = true;
  for (const auto& a : args) {
    if (!first) body.push_back(',');
    first = false;
    append_arg(body, a, used);
  }
  body.push_back(']');
  Encoded e = finish(PacketType::ack, PacketType::binary_ack, nsp, id, body, used);
  release_if_huge(body);
  return e;
}

Args to_args(json::array&& data, Attachments&& attachments, std::size_t first) {
  std::vector<Binary> bins;
  bins.reserve(attachments.size());
  for (auto& a : attachments) bins.emplace_back(std::move(a));
  Args out;
  if (first >= data.size()) return out;
  out.reserve(data.size() - first);
  for (std::size_t i = first; i < data.size(); ++i) {
    const bool uses_blobs = !bins.empty() && has_placeholders(data[i]);
    out.emplace_back(std::move(data[i]), uses_blobs ? bins : std::vector<Binary>{});
  }
  return out;
}

}  // namespace sio::wire::socketio
