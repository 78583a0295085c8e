// URL query strings and paths: percent-decoding and parameter lookup, without
// building a map (a polling request only needs its sid, EIO and transport).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sio::wire {

// Appends `s` percent-decoded; with plus_as_space (a query, as Node's
// querystring reads it) '+' is a space. A malformed escape is kept as written.
void percent_decode_append(std::string& out, std::string_view s, bool plus_as_space);

// Splits a request target at '?': the raw path and the raw query (after '?',
// empty when there is none; a '#' fragment is dropped).
struct SplitTarget {
  std::string_view path;
  std::string_view query;
};
SplitTarget split_target(std::string_view target);

// Calls fn(name, value) for each "name=value" of a raw query, both decoded
// (a missing '=' gives an empty value; empty pieces between '&' are skipped).
template <class F>
void for_each_query_param(std::string_view query, F&& fn) {
  std::string name, value;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    name.clear();
    value.clear();
    percent_decode_append(name, piece.substr(0, eq), true);
    if (eq != std::string_view::npos) percent_decode_append(value, piece.substr(eq + 1), true);
    fn(std::string_view(name), std::string_view(value));
  }
}

// The first value of `name` in a raw query, decoded; nullopt when absent.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace sio::wire
