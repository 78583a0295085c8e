// "http://host:port/namespace" -> where to connect and which namespace to join,
// read the way socket.io-client reads io(url): the path is the namespace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sio::bench {

struct ParsedUrl {
  std::string host;       // "127.0.0.1"
  std::string port;       // "3000" (80 when absent)
  std::string nsp = "/";  // "/" or "/chat"
  bool tls = false;       // https://
};

// Nothing for anything but an http:// or https:// URL.
std::optional<ParsedUrl> parse_url(std::string_view url);

}  // namespace sio::bench
