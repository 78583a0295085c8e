// The Redis adapter: the in-memory adapter for this server's sockets, plus
// the protocol of @socket.io/redis-adapter 8.x over a pub/sub Driver, so C++
// and Node servers (and @socket.io/redis-emitter) share one cluster.
//
// One RedisCluster per server holds the driver and routes what it receives
// to the namespace adapters; each namespace gets a RedisAdapter with its own
// uid, channels and pending requests.
//
// While Redis is down every operation still serves this server's sockets:
// broadcasts are delivered locally (and not forwarded), server_count() is 1,
// so fetches and acks complete with local results. Requests that reach some
// nodes but not all end after `requests_timeout` with the answers received
// and errc::sio_remote_timeout.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sio/adapter.hpp>

#include "adapter/adapter.hpp"
#include "adapter/redis/driver.hpp"

namespace sio::adapter::redis {

struct RedisAdapterOptions {
  std::string key = "socket.io";  // channel prefix: the Node adapter's and emitter's default `key`
  std::chrono::milliseconds requests_timeout{5000};  // Node's requestsTimeout default
};

class RedisAdapter;

class RedisCluster : public std::enable_shared_from_this<RedisCluster> {
 public:
  // Starts the driver (it must not be started yet).
  static std::shared_ptr<RedisCluster> create(std::shared_ptr<Driver> driver, RedisAdapterOptions options = {});
  ~RedisCluster();

  // For ServerOptions::adapter: one RedisAdapter per namespace.
  AdapterFactory factory();

  // The link to Redis: up or down, since when, why, how often.
  DriverStatus status() const { return driver_->status(); }
  Driver& driver() { return *driver_; }
  const RedisAdapterOptions& options() const { return options_; }

  // Called by the adapters themselves.
  void attach(RedisAdapter* a);
  void detach(RedisAdapter* a);

 private:
  RedisCluster(std::shared_ptr<Driver> driver, RedisAdapterOptions options);
  void on_message(std::string_view channel, std::string_view payload);

  // What the driver's message callback reaches the cluster through: it never
  // owns the cluster (as its last owner it would destroy the driver on the
  // driver's own thread), and it outlives it (null once the cluster is going).
  struct Gate {
    std::mutex mu;  // held while a message is handed over: the destructor waits for it
    RedisCluster* cluster = nullptr;
  };

  std::shared_ptr<Driver> driver_;
  RedisAdapterOptions options_;
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::mutex mu_;  // held while a message is dispatched: detach waits for it
  std::vector<RedisAdapter*> adapters_;
};

std::unique_ptr<Adapter> make_redis_adapter(const Context& ctx, std::shared_ptr<RedisCluster> cluster);

}  // namespace sio::adapter::redis
