#include "net/redis/redis_url.hpp"

#include <charconv>

#include <boost/url/parse.hpp>

namespace sio::net::redis {

std::optional<RedisEndpoint> parse_redis_url(std::string_view url) {
  auto r = boost::urls::parse_uri(url);
  if (!r || r->scheme() != "redis" || !r->has_authority() || r->encoded_host().empty()) return std::nullopt;
  RedisEndpoint e;
  e.host = r->host_address();
  if (r->has_port()) {
    const auto p = r->port();
    unsigned v = 0;
    auto res = std::from_chars(p.data(), p.data() + p.size(), v);
    if (res.ec != std::errc() || res.ptr != p.data() + p.size() || v == 0 || v > 65535) return std::nullopt;
    e.port = static_cast<std::uint16_t>(v);
  }
  if (r->has_userinfo()) {
    e.user = r->user();
    e.password = r->password();
  }
  const auto path = r->path();
  if (path.size() > 1) {
    unsigned db = 0;
    auto res = std::from_chars(path.data() + 1, path.data() + path.size(), db);
    if (res.ec != std::errc() || res.ptr != path.data() + path.size()) return std::nullopt;
    e.db = db;
  }
  return e;
}

}  // namespace sio::net::redis
