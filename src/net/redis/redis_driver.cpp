#include "net/redis/redis_driver.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include <sio/error.hpp>

#include "net/redis/resp_connection.hpp"

namespace sio::net::redis {

namespace {

using adapter::redis::Driver;
using adapter::redis::DriverCallbacks;
using adapter::redis::DriverStatus;

// One link (publisher or subscriber) and its reconnection schedule.
struct Link {
  std::shared_ptr<RespConnection> conn;
  bool up = false;
  std::chrono::milliseconds delay{0};
  std::unique_ptr<asio::steady_timer> timer;
};

class AsioRedisDriver final : public Driver, public std::enable_shared_from_this<AsioRedisDriver> {
 public:
  AsioRedisDriver(asio::io_context& ctx, RedisDriverOptions opt) : ctx_(ctx), opt_(std::move(opt)) {
    pub_.timer = std::make_unique<asio::steady_timer>(ctx_);
    sub_.timer = std::make_unique<asio::steady_timer>(ctx_);
  }

  void start(DriverCallbacks cb) override {
    asio::post(ctx_, [self = shared_from_this(), cb = std::move(cb)]() mutable {
      self->cb_ = std::move(cb);
      self->connect(self->pub_, false);
      self->connect(self->sub_, true);
    });
  }

  void stop() override {
    asio::post(ctx_, [self = shared_from_this()] { self->shutdown(); });
  }

  void publish(std::string channel, std::string payload) override {
    asio::post(ctx_, [self = shared_from_this(), c = std::move(channel), p = std::move(payload)] {
      if (!self->pub_.up) return self->count_dropped_publish();
      // The link may be going down with the server (the driver reports down
      // as soon as either of its two links drops): a PUBLISH that its dying
      // connection fails was dropped too.
      self->pub_.conn->command({"PUBLISH", c, p}, [self](std::error_code ec, Reply) {
        if (ec) self->count_dropped_publish();
      });
    });
  }

  void subscribe(std::string channel) override { change(std::move(channel), false, true); }
  void psubscribe(std::string pattern) override { change(std::move(pattern), true, true); }
  void unsubscribe(std::string channel) override { change(std::move(channel), false, false); }
  void punsubscribe(std::string pattern) override { change(std::move(pattern), true, false); }

  void numsub(std::string channel, CountHandler done) override {
    asio::post(ctx_, [self = shared_from_this(), c = std::move(channel), done = std::move(done)] {
      if (!self->pub_.up) return done(make_error_code(errc::cluster_unavailable), 0);
      self->pub_.conn->command({"PUBSUB", "NUMSUB", c}, [done](std::error_code ec, Reply r) {
        if (ec) return done(make_error_code(errc::cluster_unavailable), 0);
        // [channel, count]
        if (r.type != Reply::Type::array || r.elements.size() != 2 ||
            r.elements[1].type != Reply::Type::integer || r.elements[1].integer < 0)
          return done(make_error_code(errc::cluster_bad_message), 0);
        done({}, static_cast<std::uint64_t>(r.elements[1].integer));
      });
    });
  }

  DriverStatus status() const override {
    std::lock_guard lk(mu_);
    return status_;
  }

 private:
  void count_dropped_publish() {
    std::lock_guard lk(mu_);
    ++status_.dropped_publishes;
  }

  void change(std::string name, bool pattern, bool add) {
    asio::post(ctx_, [self = shared_from_this(), name = std::move(name), pattern, add] {
      auto& set = pattern ? self->patterns_ : self->channels_;
      if (add ? !set.insert(name).second : set.erase(name) == 0) return;
      // While down, the reconnection subscribes the whole set anyway.
      if (!self->sub_.conn || !self->sub_.conn->open()) return;
      if (add) ++self->awaiting_confirmations_;
      const char* cmd = pattern ? (add ? "PSUBSCRIBE" : "PUNSUBSCRIBE") : (add ? "SUBSCRIBE" : "UNSUBSCRIBE");
      self->sub_.conn->command({cmd, name});
    });
  }

  void connect(Link& link, bool subscriber) {
    if (stopped_) return;
    auto self = shared_from_this();
    RespConnection::Callbacks cbs;
    if (subscriber) cbs.push = [this, self](Reply r) { on_push(std::move(r)); };
    cbs.closed = [this, self, &link, subscriber](std::error_code ec) { on_down(link, subscriber, ec); };
    link.conn = std::make_shared<RespConnection>(ctx_, subscriber, std::move(cbs));
    auto conn = link.conn;
    conn->connect(opt_.endpoint.host, opt_.endpoint.port, [this, self, &link, subscriber, conn](std::error_code ec) {
      if (stopped_ || conn != link.conn) return;
      if (ec) return retry(link, subscriber, ec);
      if (!opt_.endpoint.password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!opt_.endpoint.user.empty()) auth.push_back(opt_.endpoint.user);
        auth.push_back(opt_.endpoint.password);
        // A failed AUTH shows up as errors on what follows; the log says why.
        conn->command(auth, subscriber ? RespConnection::ReplyHandler{} : [](std::error_code, Reply r) {
          if (r.type == Reply::Type::error) spdlog::error("redis: AUTH failed: {}", r.str);
        });
      }
      link.delay = std::chrono::milliseconds(0);
      if (subscriber) {
        awaiting_confirmations_ = channels_.size() + patterns_.size();
        if (!channels_.empty()) {
          std::vector<std::string> cmd{"SUBSCRIBE"};
          cmd.insert(cmd.end(), channels_.begin(), channels_.end());
          conn->command(cmd);
        }
        if (!patterns_.empty()) {
          std::vector<std::string> cmd{"PSUBSCRIBE"};
          cmd.insert(cmd.end(), patterns_.begin(), patterns_.end());
          conn->command(cmd);
        }
        sub_ready_ = awaiting_confirmations_ == 0;
      }
      link.up = true;
      update();
    });
  }

  void on_push(Reply r) {
    if (r.type == Reply::Type::error) {
      // On a subscriber link this is a reply to a command (e.g. AUTH).
      spdlog::error("redis: subscriber link error: {}", r.str);
      return;
    }
    if (r.type != Reply::Type::array || r.elements.empty()) return;
    const std::string& kind = r.elements[0].str;
    if (kind == "message" && r.elements.size() == 3) {
      if (cb_.message) cb_.message(r.elements[1].str, r.elements[2].str);
    } else if (kind == "pmessage" && r.elements.size() == 4) {
      if (cb_.message) cb_.message(r.elements[2].str, r.elements[3].str);
    } else if (kind == "subscribe" || kind == "psubscribe") {
      if (awaiting_confirmations_ > 0 && --awaiting_confirmations_ == 0 && !sub_ready_) {
        sub_ready_ = true;
        update();
      }
    }
  }

  void on_down(Link& link, bool subscriber, std::error_code ec) {
    link.up = false;
    if (subscriber) sub_ready_ = false;
    update(ec);
    retry(link, subscriber, ec);
  }

  void retry(Link& link, bool subscriber, std::error_code ec) {
    if (stopped_) return;
    if (link.conn) link.conn->close();
    link.up = false;
    link.delay = link.delay.count() == 0 ? opt_.reconnect_min : std::min(link.delay * 2, opt_.reconnect_max);
    {
      std::lock_guard lk(mu_);
      status_.last_error = ec.message();
    }
    link.timer->expires_after(link.delay);
    link.timer->async_wait([this, self = shared_from_this(), &link, subscriber](std::error_code ec) {
      if (!ec) connect(link, subscriber);
    });
  }

  // Recomputes the combined state; logs and reports transitions.
  void update(std::error_code why = {}) {
    const bool up = pub_.up && sub_.up && sub_ready_;
    if (up == reported_up_) return;
    reported_up_ = up;
    {
      std::lock_guard lk(mu_);
      status_.connected = up;
      if (up) {
        ++status_.connects;
      } else {
        ++status_.outages;
        status_.down_since = std::chrono::system_clock::now();
        if (why) status_.last_error = why.message();
      }
    }
    if (up)
      spdlog::info("redis: connected to {}:{} (connection #{})", opt_.endpoint.host, opt_.endpoint.port,
                   status().connects);
    else
      spdlog::warn("redis: lost {}:{} ({}); local delivery continues, reconnecting", opt_.endpoint.host,
                   opt_.endpoint.port, why ? why.message() : "link down");
    if (cb_.link) cb_.link(up);
  }

  void shutdown() {
    if (stopped_) return;
    stopped_ = true;
    for (Link* l : {&pub_, &sub_}) {
      l->timer->cancel();
      // Let go of the connection: its callbacks own this driver, so keeping
      // it would keep both alive for good.
      if (l->conn) l->conn->close();
      l->conn.reset();
      l->up = false;
    }
    std::lock_guard lk(mu_);
    status_.connected = false;
  }

  asio::io_context& ctx_;
  RedisDriverOptions opt_;
  DriverCallbacks cb_;
  Link pub_, sub_;
  std::set<std::string> channels_, patterns_;
  std::size_t awaiting_confirmations_ = 0;
  bool sub_ready_ = false;
  bool reported_up_ = false;
  bool stopped_ = false;
  mutable std::mutex mu_;
  DriverStatus status_;
};

// Owns the driver's io_context and thread.
class ThreadedRedisDriver final : public Driver {
 public:
  explicit ThreadedRedisDriver(RedisDriverOptions opt)
      : work_(asio::make_work_guard(ctx_)), inner_(std::make_shared<AsioRedisDriver>(ctx_, std::move(opt))),
        thread_([this] { ctx_.run(); }) {}
  ~ThreadedRedisDriver() override { stop(); }

  void start(DriverCallbacks cb) override { inner_->start(std::move(cb)); }
  void stop() override {
    if (!thread_.joinable()) return;
    inner_->stop();
    work_.reset();
    asio::post(ctx_, [this] { ctx_.stop(); });
    if (thread_.get_id() == std::this_thread::get_id())
      thread_.detach();  // stopped from a callback: the loop ends by itself
    else
      thread_.join();
  }
  void publish(std::string c, std::string p) override { inner_->publish(std::move(c), std::move(p)); }
  void subscribe(std::string c) override { inner_->subscribe(std::move(c)); }
  void psubscribe(std::string p) override { inner_->psubscribe(std::move(p)); }
  void unsubscribe(std::string c) override { inner_->unsubscribe(std::move(c)); }
  void punsubscribe(std::string p) override { inner_->punsubscribe(std::move(p)); }
  void numsub(std::string c, CountHandler h) override { inner_->numsub(std::move(c), std::move(h)); }
  DriverStatus status() const override { return inner_->status(); }

 private:
  asio::io_context ctx_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::shared_ptr<AsioRedisDriver> inner_;
  std::thread thread_;
};

// Forwards to the shared driver so that pending handlers keep it alive.
class DriverHandle final : public Driver {
 public:
  explicit DriverHandle(std::shared_ptr<AsioRedisDriver> d) : d_(std::move(d)) {}
  ~DriverHandle() override { d_->stop(); }
  void start(DriverCallbacks cb) override { d_->start(std::move(cb)); }
  void stop() override { d_->stop(); }
  void publish(std::string c, std::string p) override { d_->publish(std::move(c), std::move(p)); }
  void subscribe(std::string c) override { d_->subscribe(std::move(c)); }
  void psubscribe(std::string p) override { d_->psubscribe(std::move(p)); }
  void unsubscribe(std::string c) override { d_->unsubscribe(std::move(c)); }
  void punsubscribe(std::string p) override { d_->punsubscribe(std::move(p)); }
  void numsub(std::string c, CountHandler h) override { d_->numsub(std::move(c), std::move(h)); }
  DriverStatus status() const override { return d_->status(); }

 private:
  std::shared_ptr<AsioRedisDriver> d_;
};

}  // namespace

std::unique_ptr<Driver> make_redis_driver(asio::io_context& ctx, RedisDriverOptions options) {
  return std::make_unique<DriverHandle>(std::make_shared<AsioRedisDriver>(ctx, std::move(options)));
}

std::unique_ptr<Driver> make_threaded_redis_driver(RedisDriverOptions options) {
  return std::make_unique<ThreadedRedisDriver>(std::move(options));
}

}  // namespace sio::net::redis
