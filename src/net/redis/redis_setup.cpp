// sio::redis_adapter (include/sio/redis.hpp): the threaded Asio driver plus
// a RedisCluster, behind the public, Asio-free header.
#include <sio/redis.hpp>

#include "adapter/redis/redis_adapter.hpp"
#include "net/redis/redis_driver.hpp"

namespace sio {

std::optional<RedisAdapter> redis_adapter(const RedisOptions& options, std::string& error) {
  auto endpoint = net::redis::parse_redis_url(options.url);
  if (!endpoint) {
    error = "not a redis:// URL with a host: " + options.url;
    return std::nullopt;
  }
  net::redis::RedisDriverOptions d;
  d.endpoint = *endpoint;
  adapter::redis::RedisAdapterOptions a;
  a.key = options.key;
  a.requests_timeout = options.requests_timeout;
  auto cluster = adapter::redis::RedisCluster::create(
      std::shared_ptr<adapter::redis::Driver>(net::redis::make_threaded_redis_driver(d)), a);
  RedisAdapter out;
  out.factory = cluster->factory();
  std::weak_ptr<adapter::redis::RedisCluster> weak = cluster;
  out.status = [weak] {
    RedisStatus s;
    auto c = weak.lock();
    if (!c) return s;
    const auto d = c->status();
    s.connected = d.connected;
    s.connects = d.connects;
    s.outages = d.outages;
    s.dropped_publishes = d.dropped_publishes;
    s.last_error = d.last_error;
    s.down_since = d.down_since;
    return s;
  };
  return out;
}

}  // namespace sio
