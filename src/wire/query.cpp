#include "wire/query.hpp"

namespace sio::wire {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True when `raw` decodes to exactly `name` (no allocation for the common,
// unescaped case).
bool decodes_to(std::string_view raw, std::string_view name) {
  if (raw.find_first_of("%+") == std::string_view::npos) return raw == name;
  std::string d;
  percent_decode_append(d, raw, true);
  return d == name;
}

}  // namespace

void percent_decode_append(std::string& out, std::string_view s, bool plus_as_space) {
  out.reserve(out.size() + s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += plus_as_space && c == '+' ? ' ' : c;
  }
}

SplitTarget split_target(std::string_view target) {
  if (const std::size_t hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = piece.find('=');
    if (piece.empty() || !decodes_to(piece.substr(0, eq), name)) continue;
    std::string value;
    if (eq != std::string_view::npos) percent_decode_append(value, piece.substr(eq + 1), true);
    return value;
  }
  return std::nullopt;
}

}  // namespace sio::wire
