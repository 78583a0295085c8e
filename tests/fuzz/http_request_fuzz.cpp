// Request targets and header fields: building a sio::HttpRequest never
// crashes, and what it gives back agrees with the query helpers and with what
// was put in (every field found again, in order, lengths of any size).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sio/http_request.hpp>

#include "wire/query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first line is the target; each further line "name:value" a header.
  const std::size_t nl = in.find('\n');
  const std::string_view target = in.substr(0, nl);
  sio::HttpRequest::Builder b;
  b.method("GET").target(target).remote_address(target.substr(0, 3));
  std::vector<std::pair<std::string, std::string>> headers;
  for (std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1); !rest.empty();) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const std::size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (auto& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const std::string value(colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
    b.header(line.substr(0, colon), value);
    bool seen = false;
    for (const auto& h : headers) seen |= h.first == name;
    if (!seen) headers.emplace_back(std::move(name), value);
  }
  const sio::HttpRequest r = b.build();
  if (r.url() != target || r.method() != "GET") std::abort();

  // Headers: the first value of each name, in the order given.
  std::size_t i = 0;
  for (auto [k, v] : r.headers()) {
    if (i >= headers.size() || k != headers[i].first || v != headers[i].second) std::abort();
    if (r.header(k) != v) std::abort();
    ++i;
  }
  if (i != headers.size()) std::abort();

  // Query: the same parameters as the helpers find, first value first.
  std::vector<std::pair<std::string, std::string>> params;
  sio::wire::for_each_query_param(sio::wire::split_target(target).query,
                                  [&](std::string_view k, std::string_view v) { params.emplace_back(k, v); });
  i = 0;
  for (auto [k, v] : r.query()) {
    if (i >= params.size() || k != params[i].first || v != params[i].second) std::abort();
    ++i;
  }
  if (i != params.size()) std::abort();
  for (const auto& [k, v] : params) {
    const auto first = r.query_param(k);
    const auto direct = sio::wire::query_value(sio::wire::split_target(target).query, k);
    if (!first || !direct || *first != *direct) std::abort();
  }
  return 0;
}
