// sio::Payload and sio::PayloadBuilder (include/sio/payload.hpp): plain
// values, implemented next to the codec whose placeholders they use.
#include <sio/payload.hpp>

#include "wire/sio_json.hpp"

namespace sio {

namespace sp = wire::socketio;

Payload::Payload(Binary b) : json_(sp::make_placeholder(0)), binaries_{std::move(b)} {}

const Payload& null_payload() noexcept {
  static const Payload none;
  return none;
}

const Binary* Payload::binary(const boost::json::value& v) const noexcept {
  if (binaries_.empty()) return nullptr;
  auto num = sp::placeholder_num(v);
  if (!num || *num >= binaries_.size()) return nullptr;
  return &binaries_[*num];
}

Binary Payload::as_binary() const {
  const Binary* b = binary(json_);
  return b ? *b : Binary();
}

namespace {
// The JSON with placeholders renumbered in order of appearance, and the blobs
// in that order: equal for payloads that mean the same thing.
std::string canonical(const Payload& p, std::vector<const Binary*>& used) {
  const auto& bins = p.binaries();
  std::vector<std::int64_t> number(bins.size(), -1);
  sp::PlaceholderRemap remap = [&](std::uint64_t num) -> std::optional<std::uint64_t> {
    if (num >= bins.size()) return std::nullopt;
    if (number[num] < 0) {
      number[num] = static_cast<std::int64_t>(used.size());
      used.push_back(&bins[num]);
    }
    return static_cast<std::uint64_t>(number[num]);
  };
  std::string s;
  sp::append_json(s, p.json(), &remap);
  return s;
}
}  // namespace

bool operator==(const Payload& a, const Payload& b) {
  if (a.binaries_.empty() && b.binaries_.empty()) return a.json_ == b.json_;
  std::vector<const Binary*> ua, ub;
  if (canonical(a, ua) != canonical(b, ub) || ua.size() != ub.size()) return false;
  for (std::size_t i = 0; i < ua.size(); ++i)
    if (!(*ua[i] == *ub[i])) return false;
  return true;
}

boost::json::value PayloadBuilder::add(Binary b) {
  binaries_.push_back(std::move(b));
  return sp::make_placeholder(binaries_.size() - 1);
}

Payload PayloadBuilder::build(boost::json::value v) {
  return Payload(std::move(v), std::exchange(binaries_, {}));
}

}  // namespace sio
