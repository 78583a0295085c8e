#include "op_json.hpp"

#include <cstdint>
#include <limits>

#include <boost/json/string.hpp>

namespace docs {

std::variant<ot::Operation, Refusal> op_from_json(const boost::json::value& v, std::size_t max_components,
                                                  std::size_t max_length) {
  if (!v.is_array()) return Refusal::bad_op;
  const auto& items = v.get_array();
  if (items.size() > max_components) return Refusal::too_large;
  // Counts beyond any text's length are refused by the length check later;
  // this bound only keeps the arithmetic far from overflowing.
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 40;
  ot::Operation op;
  std::size_t inserted = 0;
  for (const auto& item : items) {
    if (item.is_string()) {
      const boost::json::string& s = item.get_string();
      auto text = ot::from_utf8(std::string_view(s.data(), s.size()));
      if (!text || text->empty()) return Refusal::bad_op;
      inserted += text->size();
      if (inserted > max_length) return Refusal::too_large;
      op.insert(*text);
      continue;
    }
    std::int64_t n = 0;
    if (item.is_int64()) {
      n = item.get_int64();
    } else if (item.is_uint64()) {
      return Refusal::bad_op;  // above INT64_MAX
    } else {
      return Refusal::bad_op;  // doubles, booleans, objects...
    }
    if (n == 0 || n > kMaxCount || n < -kMaxCount) return Refusal::bad_op;
    if (n > 0) op.retain(static_cast<std::size_t>(n));
    else op.remove(static_cast<std::size_t>(-n));
  }
  return op;
}

boost::json::array op_to_json(const ot::Operation& op) {
  boost::json::array out;
  out.reserve(op.components().size());
  for (const auto& c : op.components()) {
    switch (c.kind) {
      case ot::Component::Kind::retain:
        out.emplace_back(static_cast<std::int64_t>(c.count));
        break;
      case ot::Component::Kind::insert:
        out.emplace_back(ot::to_utf8(c.text));
        break;
      case ot::Component::Kind::remove:
        out.emplace_back(-static_cast<std::int64_t>(c.count));
        break;
    }
  }
  return out;
}

}  // namespace docs
