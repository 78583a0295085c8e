// RedisCluster's lifetime against a driver that calls back from its own
// thread (as the threaded Redis driver does): the cluster must never end on
// that thread. Were a message callback its last owner, the cluster would be
// destroyed there and the driver with it, inside its own io_context::run()
// (a use after free AddressSanitizer reported at the end of
// RedisNodeInterop.RemoteJoinLeaveDisconnectAndRemoteEmit).
#include "adapter/redis/redis_adapter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace sio::adapter::redis {
namespace {

// Delivers one message after another from its own thread until stopped;
// remembers the thread stop() came from.
class ThreadDriver final : public Driver {
 public:
  ~ThreadDriver() override {
    if (thread_.joinable()) thread_.join();
  }
  void start(DriverCallbacks cb) override {
    cb_ = std::move(cb);
    thread_ = std::thread([this] {
      id_ = std::this_thread::get_id();
      while (!stop_) {
        cb_.message("nobody-listens", "x");
        ++delivered_;
      }
      exited_ = true;
    });
  }
  void stop() override {
    if (stop_.exchange(true)) return;
    stopped_on_driver_thread_ = std::this_thread::get_id() == id_.load();
    if (std::this_thread::get_id() == id_.load()) thread_.detach();  // as the threaded driver does
  }
  void publish(std::string, std::string) override {}
  void subscribe(std::string) override {}
  void psubscribe(std::string) override {}
  void unsubscribe(std::string) override {}
  void punsubscribe(std::string) override {}
  void numsub(std::string, CountHandler done) override { done({}, 1); }
  DriverStatus status() const override { return {}; }

  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<bool> exited_{false};
  std::atomic<bool> stopped_on_driver_thread_{false};

 private:
  DriverCallbacks cb_;
  std::thread thread_;
  std::atomic<std::thread::id> id_{};
  std::atomic<bool> stop_{false};
};

TEST(RedisCluster, IsNeverDestroyedOnTheDriversThread) {
  // The last owner lets go while messages stream in, many times: with a
  // callback owning the cluster for the length of each message, some of
  // these let-gos would leave it to the callback.
  for (int i = 0; i < 200; ++i) {
    auto driver = std::make_shared<ThreadDriver>();
    auto cluster = RedisCluster::create(driver);
    while (driver->delivered_ < 10) std::this_thread::yield();  // ends: the thread delivers until stopped
    cluster.reset();
    // Ends: the cluster is gone, or goes at the end of the message in hand,
    // and stops the driver either way.
    while (!driver->exited_) std::this_thread::yield();
    ASSERT_FALSE(driver->stopped_on_driver_thread_) << "round " << i;
  }
}

}  // namespace
}  // namespace sio::adapter::redis
