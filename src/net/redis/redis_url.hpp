// Where a Redis server is: parsed from redis://[[user]:password@]host[:port][/db].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sio::net::redis {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;  // Redis's default port
  std::string user;           // empty: AUTH <password> (Redis < 6 style)
  std::string password;       // empty: no AUTH
  unsigned db = 0;            // pub/sub ignores it; kept for SELECT symmetry
};

// nullopt when `url` is not a redis:// URL with a host.
std::optional<RedisEndpoint> parse_redis_url(std::string_view url);

}  // namespace sio::net::redis
