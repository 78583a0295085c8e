// In-process stand-ins for the Redis adapter's surroundings: a pub/sub bus
// with drivers on it (Redis semantics: patterns, NUMSUB, links that can go
// down), a loop that runs what is posted when the test pumps it, and sockets
// that record what reaches them. Everything runs on the test's thread, in
// the order the test pumps it, so cross-node exchanges are deterministic.
#pragma once

#include <deque>
#include <fnmatch.h>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <sio/error.hpp>

#include "adapter/adapter.hpp"
#include "adapter/redis/driver.hpp"
#include "wire/sio_json.hpp"

// Own namespace: tests/adapter has other fakes of the same names (one binary).
namespace sio::test::redisfake {

class FakeBus;

class FakeDriver final : public adapter::redis::Driver {
 public:
  explicit FakeDriver(FakeBus& bus) : bus_(bus) {}
  void start(adapter::redis::DriverCallbacks cb) override { cb_ = std::move(cb); }
  void stop() override { stopped_ = true; }
  void publish(std::string channel, std::string payload) override;
  void subscribe(std::string c) override { channels_.insert(c); }
  void psubscribe(std::string p) override { patterns_.insert(p); }
  void unsubscribe(std::string c) override { channels_.erase(c); }
  void punsubscribe(std::string p) override { patterns_.erase(p); }
  void numsub(std::string channel, CountHandler done) override;
  adapter::redis::DriverStatus status() const override { return status_; }

  bool wants(const std::string& channel) const {
    if (down_ || stopped_) return false;
    if (channels_.count(channel)) return true;
    for (const auto& p : patterns_)
      if (fnmatch(p.c_str(), channel.c_str(), 0) == 0) return true;
    return false;
  }
  void deliver(const std::string& c, const std::string& p) {
    if (cb_.message) cb_.message(c, p);
  }
  void set_down(bool down) {
    down_ = down;
    status_.connected = !down;
    if (down) ++status_.outages;
    if (cb_.link) cb_.link(!down);
  }

  std::set<std::string> channels_, patterns_;
  bool down_ = false;
  bool stopped_ = false;
  bool silent_ = false;  // connected, but NUMSUB never answers (a stopped Redis)
  adapter::redis::DriverStatus status_{true, 1, 0, 0, "", {}};

 private:
  FakeBus& bus_;
  adapter::redis::DriverCallbacks cb_;
};

// Queues published messages; deliver() hands them to every subscriber in
// publication order (Redis's per-connection order).
class FakeBus {
 public:
  void publish(std::string c, std::string p) { queue_.emplace_back(std::move(c), std::move(p)); }
  void attach(FakeDriver* d) { drivers_.push_back(d); }
  std::size_t numsub(const std::string& channel) const {
    std::size_t n = 0;
    for (auto* d : drivers_)
      if (!d->down_ && !d->stopped_ && d->channels_.count(channel)) ++n;
    return n;
  }
  // Delivers one message; false when none is queued.
  bool step() {
    if (queue_.empty()) return false;
    auto [c, p] = std::move(queue_.front());
    queue_.pop_front();
    published.emplace_back(c, p);
    for (auto* d : drivers_)
      if (d->wants(c)) d->deliver(c, p);
    return true;
  }
  std::vector<std::pair<std::string, std::string>> published;  // everything delivered so far

 private:
  std::deque<std::pair<std::string, std::string>> queue_;
  std::vector<FakeDriver*> drivers_;
};

inline void FakeDriver::publish(std::string channel, std::string payload) {
  if (down_) {
    ++status_.dropped_publishes;
    return;
  }
  bus_.publish(std::move(channel), std::move(payload));
}
inline void FakeDriver::numsub(std::string channel, CountHandler done) {
  if (down_) return done(make_error_code(errc::cluster_unavailable), 0);
  if (silent_) return;
  done({}, bus_.numsub(channel));
}

class FakeLoop final : public engine::Loop {
 public:
  void post(engine::Task t) override { tasks_.push_back(std::move(t)); }
  void dispatch(engine::Task t) override { t(); }
  bool in_loop_thread() const override { return true; }
  TimerId start_timer(std::chrono::milliseconds after, engine::Task t) override {
    timers_[++next_] = {after, std::move(t)};
    return next_;
  }
  void cancel_timer(TimerId id) override { timers_.erase(id); }
  std::size_t index() const override { return 0; }

  bool step() {
    if (tasks_.empty()) return false;
    auto t = std::move(tasks_.front());
    tasks_.pop_front();
    t();
    return true;
  }
  // Fires every armed timer (time "passes" past all of them).
  void fire_timers() {
    auto timers = std::move(timers_);
    timers_.clear();
    for (auto& [id, t] : timers) t.second();
  }
  std::size_t armed() const { return timers_.size(); }

 private:
  std::deque<engine::Task> tasks_;
  std::map<TimerId, std::pair<std::chrono::milliseconds, engine::Task>> timers_;
  TimerId next_ = 0;
};

// A socket that records what it receives.
class FakeMember final : public adapter::Member {
 public:
  explicit FakeMember(std::string id) : info_{std::move(id), {}, {}, boost::json::object{}} {
    auto req = HttpRequest::Builder()
                   .method("GET")
                   .target("/socket.io/?EIO=4&transport=websocket")
                   .header("host", "localhost")
                   .remote_address("127.0.0.1")
                   .build();
    info_.handshake = Handshake(std::make_shared<const HttpRequest>(std::move(req)), 1704164645000, {});
  }
  const adapter::SocketId& id() const override { return info_.id; }
  void deliver(const adapter::BroadcastPacket& p, const wire::socketio::Encoded& bytes, const BroadcastFlags&) override {
    received.push_back(p.event + ":" + text(p.args));
    binaries.push_back(bytes.attachments.size());
  }
  void deliver_with_ack(const adapter::BroadcastPacket& p, const wire::socketio::Encoded& bytes,
                        const BroadcastFlags& f, adapter::AckFn on_ack) override {
    deliver(p, bytes, f);
    if (answer) on_ack(Args{Payload(boost::json::string_view(info_.id))});
  }
  SocketInfo info() const override { return info_; }
  void disconnect(bool close) override { disconnected = close ? 2 : 1; }

  static std::string text(const Args& args) {
    std::string out;
    for (const auto& a : args) {
      if (!out.empty()) out += ",";
      wire::socketio::append_json(out, a.json());
    }
    return out;
  }

  SocketInfo info_;
  std::vector<std::string> received;
  std::vector<std::size_t> binaries;  // attachments of each delivery
  bool answer = true;
  int disconnected = 0;
};

}  // namespace sio::test::redisfake
