// What the Redis adapter needs from a pub/sub backend, and nothing more
// (principle 5): the adapter never sees sockets, Asio or hiredis. The one
// implementation over Redis is net/redis/redis_driver.hpp; tests use fakes.
//
// Threading: every method may be called from any thread. Callbacks run on
// the driver's own thread, one at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

namespace sio::adapter::redis {

// The link to the backend as a status call reports it.
struct DriverStatus {
  bool connected = false;            // subscriber and publisher links both up
  std::uint64_t connects = 0;        // successful (re)connections so far
  std::uint64_t outages = 0;         // times the link went down
  std::uint64_t dropped_publishes = 0;  // published while down (never sent)
  std::string last_error;            // why the link last went down ("" if never)
  // When the current outage began (meaningful while !connected and outages > 0).
  std::chrono::system_clock::time_point down_since{};
};

struct DriverCallbacks {
  // A message on a subscribed channel or on a channel matching a subscribed
  // pattern (the pattern itself is not reported: channels say it all).
  std::function<void(std::string_view channel, std::string_view payload)> message;
  // The link went down (false) or is back with every subscription restored
  // (true).
  std::function<void(bool up)> link;
};

class Driver {
 public:
  using CountHandler = std::function<void(std::error_code ec, std::uint64_t count)>;

  virtual ~Driver() = default;

  // Starts connecting; callbacks are set once, before any subscription.
  virtual void start(DriverCallbacks callbacks) = 0;
  // Stops for good: closes the links, fails pending queries (operation_aborted).
  virtual void stop() = 0;

  // Fire and forget. While the link is down the message is dropped (and
  // counted): cluster traffic is live, not replayed later.
  virtual void publish(std::string channel, std::string payload) = 0;

  // Subscriptions are remembered and restored after every reconnection.
  virtual void subscribe(std::string channel) = 0;
  virtual void psubscribe(std::string pattern) = 0;
  virtual void unsubscribe(std::string channel) = 0;
  virtual void punsubscribe(std::string pattern) = 0;

  // PUBSUB NUMSUB <channel>: how many clients subscribe it (the server count
  // when every server subscribes its request channel). While the link is
  // down: errc::cluster_unavailable.
  virtual void numsub(std::string channel, CountHandler done) = 0;

  virtual DriverStatus status() const = 0;
};

}  // namespace sio::adapter::redis
