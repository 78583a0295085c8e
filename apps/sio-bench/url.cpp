#include "url.hpp"

namespace sio::bench {

std::optional<ParsedUrl> parse_url(std::string_view url) {
  const bool tls = url.substr(0, 8) == "https://";
  const std::string_view scheme = tls ? "https://" : "http://";
  if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
  url.remove_prefix(scheme.size());
  const std::size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  ParsedUrl out;
  std::size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [::1]:3000
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    colon = authority.find(':', close);
  } else {
    out.host = std::string(authority.substr(0, colon));
  }
  out.tls = tls;
  out.port = colon == std::string_view::npos ? (tls ? "443" : "80") : std::string(authority.substr(colon + 1));
  if (out.host.empty() || out.port.empty()) return std::nullopt;
  if (const std::size_t q = path.find_first_of("?#"); q != std::string_view::npos) path = path.substr(0, q);
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  out.nsp = std::string(path.empty() ? "/" : path);
  return out;
}

}  // namespace sio::bench
