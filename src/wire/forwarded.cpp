#include "wire/forwarded.hpp"

#include <algorithm>

namespace sio::wire {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_trusted(std::string_view a, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
}

}  // namespace

std::string_view client_address(std::string_view peer, std::string_view x_forwarded_for,
                                const std::vector<std::string>& trusted) {
  if (trusted.empty() || !is_trusted(peer, trusted)) return peer;
  std::string_view last = peer;
  std::string_view list = x_forwarded_for;
  while (!list.empty()) {
    const std::size_t comma = list.rfind(',');
    const std::string_view item = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    if (item.empty()) continue;
    last = item;
    if (!is_trusted(item, trusted)) return item;  // the first untrusted hop, from the right
  }
  return last;  // every hop was a trusted proxy: the leftmost one named
}

}  // namespace sio::wire
