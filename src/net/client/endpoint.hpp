// Where a client connects: the server URL taken apart, and the request lines
// built from it (polling URLs, the Host header). Pure; no Asio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sio::net::client {

struct Endpoint {
  bool secure = false;               // https:// or wss://
  std::string host;                  // name or address, IPv6 without brackets
  std::uint16_t port = 0;
  std::string path = "/socket.io/";  // the engine path: socket.io's default
  std::string query;                 // the user's extra query, encoded, no '?'
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers

  // "host[:port]" as the Host header wants it (port omitted when default).
  std::string host_header() const;
};

// A server URL as the user gives it: http(s):// or ws(s)://host[:port][/nsp][?query].
struct ServerUrl {
  bool secure = false;
  std::string host;
  std::uint16_t port = 0;  // filled in: 80 / 443 by default
  std::string nsp = "/";   // the URL's path is the default namespace, as in socket.io-client
  std::string query;       // encoded, no '?'
};

// nullopt with `error` set when the URL is not usable.
std::optional<ServerUrl> parse_server_url(std::string_view url, std::string& error);

// Percent-encodes a query component (RFC 3986 unreserved characters pass).
std::string query_escape(std::string_view s);

// The request target for an engine request: path?EIO=4&transport=...[&sid=...]
// [&t=...]&<user query>.
std::string engine_target(const Endpoint& ep, std::string_view transport, std::string_view sid,
                          bool cache_buster);

}  // namespace sio::net::client
