#include "net/client/endpoint.hpp"

#include <atomic>
#include <random>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace sio::net::client {

std::string Endpoint::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (secure ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::optional<ServerUrl> parse_server_url(std::string_view url, std::string& error) {
  auto r = boost::urls::parse_uri(url);
  if (!r) {
    error = "invalid URL: " + r.error().message();
    return std::nullopt;
  }
  const boost::urls::url_view u = *r;
  ServerUrl out;
  const std::string scheme(u.scheme());
  if (scheme == "https" || scheme == "wss") {
    out.secure = true;
  } else if (scheme != "http" && scheme != "ws") {
    error = "unsupported scheme: " + scheme + " (http, https, ws, wss)";
    return std::nullopt;
  }
  out.host = u.host_type() == boost::urls::host_type::ipv6 ? u.host_ipv6_address().to_string() : u.host();
  if (out.host.empty()) {
    error = "URL without a host";
    return std::nullopt;
  }
  out.port = out.secure ? 443 : 80;
  if (u.has_port()) {
    if (u.port_number() == 0) {
      error = "invalid port";
      return std::nullopt;
    }
    out.port = u.port_number();
  }
  const std::string path(u.path());
  if (!path.empty() && path != "/") out.nsp = path;
  if (u.has_query()) out.query = std::string(u.encoded_query());
  return out;
}

std::string query_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

namespace {
// A short string that differs between requests, so no cache answers a poll
// (engine.io-client's timestampRequests).
std::string cache_token() {
  static std::atomic<std::uint64_t> counter{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) | rd();
  }()};
  std::uint64_t v = counter.fetch_add(1, std::memory_order_relaxed);
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do {
    s += digits[v % 36];
    v /= 36;
  } while (v && s.size() < 8);
  return s;
}
}  // namespace

std::string engine_target(const Endpoint& ep, std::string_view transport, std::string_view sid,
                          bool cache_buster) {
  std::string t = ep.path;
  t += "?EIO=4&transport=";
  t += transport;
  if (!sid.empty()) {
    t += "&sid=";
    t += query_escape(sid);
  }
  if (cache_buster) {
    t += "&t=";
    t += cache_token();
  }
  if (!ep.query.empty()) {
    t += '&';
    t += ep.query;
  }
  return t;
}

}  // namespace sio::net::client
