// sio::Emitter (include/sio/emitter.hpp): the messages of
// adapter/redis/emitter_messages published over one RespConnection, on a
// thread and io_context of the emitter's own.
//
// Delivery: messages go out in order. One that Redis answered with an error
// (e.g. NOAUTH) is counted and reported by the next flush(); it is not sent
// again. One on the wire when the link dropped is sent again after the
// reconnection (Redis may have taken it: at least once, never lost).
#include <sio/emitter.hpp>

#include <condition_variable>
#include <deque>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "adapter/redis/emitter_messages.hpp"
#include "net/redis/redis_url.hpp"
#include "net/redis/resp_connection.hpp"

namespace sio {
namespace detail {

namespace asio = boost::asio;
using adapter::redis::Publication;
using net::redis::Reply;
using net::redis::RespConnection;

class EmitterLink {
 public:
  EmitterLink(EmitterOptions options, net::redis::RedisEndpoint endpoint)
      : opt_(std::move(options)), endpoint_(std::move(endpoint)), timer_(ctx_), work_(ctx_.get_executor()) {
    asio::post(ctx_, [this] { connect(); });
    thread_ = std::thread([this] { ctx_.run(); });
  }

  ~EmitterLink() {
    asio::post(ctx_, [this] {
      stopped_ = true;
      timer_.cancel();
      if (conn_) conn_->close();
      work_.reset();
    });
    thread_.join();
  }

  const std::string& key() const noexcept { return opt_.key; }

  bool enqueue(Publication p) {
    {
      std::lock_guard lk(mu_);
      const std::size_t size = p.channel.size() + p.payload.size();
      if (queued_bytes_ + size > opt_.max_queued_bytes) {
        ++refused_;
        return false;
      }
      queued_bytes_ += size;
      queue_.push_back(std::move(p));
      ++enqueued_;
    }
    asio::post(ctx_, [this] { pump(); });
    return true;
  }

  bool flush(std::chrono::milliseconds timeout, std::string* error) {
    std::unique_lock lk(mu_);
    const std::uint64_t target = enqueued_;
    const bool done = cv_.wait_for(lk, timeout, [&] { return answered_ >= target; });
    const std::uint64_t failed = std::exchange(failed_since_flush_, 0);
    if (done && failed == 0) return true;
    if (error) {
      if (!done)
        *error = "Redis at " + endpoint_.host + ":" + std::to_string(endpoint_.port) + " did not take " +
                 std::to_string(target - answered_) + " message(s) within " + std::to_string(timeout.count()) +
                 " ms" + (last_error_.empty() ? std::string() : ": " + last_error_);
      else
        *error = std::to_string(failed) + " message(s) refused by Redis: " + last_error_;
    }
    return false;
  }

  EmitterStatus status() {
    std::lock_guard lk(mu_);
    EmitterStatus s;
    s.connected = connected_;
    s.published = published_;
    s.queued = enqueued_ - answered_;
    s.refused = refused_;
    s.last_error = last_error_;
    return s;
  }

 private:
  // ---- on the emitter's thread ----
  void connect() {
    if (stopped_) return;
    RespConnection::Callbacks cbs;
    cbs.closed = [this](std::error_code ec) { down(ec); };
    conn_ = std::make_shared<RespConnection>(ctx_, false, std::move(cbs));
    auto conn = conn_;
    conn->connect(endpoint_.host, endpoint_.port, [this, conn](std::error_code ec) {
      if (stopped_ || conn != conn_) return;
      if (ec) return down(ec);
      if (!endpoint_.password.empty()) {
        std::vector<std::string> auth{"AUTH"};
        if (!endpoint_.user.empty()) auth.push_back(endpoint_.user);
        auth.push_back(endpoint_.password);
        conn->command(auth, [this](std::error_code, Reply r) {
          if (r.type == Reply::Type::error) note_error("AUTH: " + r.str);
        });
      }
      delay_ = std::chrono::milliseconds(0);
      {
        std::lock_guard lk(mu_);
        connected_ = true;
      }
      // What was on the wire when the link dropped goes first, in order.
      while (!inflight_.empty()) {
        send(std::move(inflight_.front()));
        inflight_.pop_front();
      }
      pump();
    });
  }

  void down(std::error_code ec) {
    if (stopped_) return;
    if (conn_) conn_->close();
    conn_.reset();
    {
      std::lock_guard lk(mu_);
      connected_ = false;
      last_error_ = ec.message();
    }
    // Sent but unanswered: sent again once connected (in order).
    inflight_.insert(inflight_.begin(), std::make_move_iterator(sent_order_.begin()),
                     std::make_move_iterator(sent_order_.end()));
    sent_order_.clear();
    delay_ = delay_.count() == 0 ? kReconnectMin : std::min(delay_ * 2, kReconnectMax);
    timer_.expires_after(delay_);
    timer_.async_wait([this](std::error_code e) {
      if (!e) connect();
    });
  }

  void pump() {
    if (stopped_ || !conn_ || !conn_->open() || !inflight_.empty()) return;
    for (;;) {
      std::optional<Publication> p;
      {
        std::lock_guard lk(mu_);
        if (queue_.empty()) return;
        p = std::move(queue_.front());
        queue_.pop_front();
      }
      send(std::move(*p));
    }
  }

  void send(Publication p) {
    conn_->command({"PUBLISH", p.channel, p.payload}, [this](std::error_code ec, Reply r) {
      if (ec) return;  // the link dropped: `down` keeps it in sent_order_ to send again
      Publication done = std::move(sent_order_.front());
      sent_order_.pop_front();
      std::lock_guard lk(mu_);
      queued_bytes_ -= done.channel.size() + done.payload.size();
      ++answered_;
      if (r.type == Reply::Type::error) {
        ++failed_since_flush_;
        last_error_ = r.str;
      } else {
        ++published_;
      }
      cv_.notify_all();
    });
    sent_order_.push_back(std::move(p));
  }

  void note_error(std::string e) {
    std::lock_guard lk(mu_);
    last_error_ = std::move(e);
  }

  static constexpr std::chrono::milliseconds kReconnectMin{50};   // as the adapter's driver
  static constexpr std::chrono::milliseconds kReconnectMax{2000};

  EmitterOptions opt_;
  net::redis::RedisEndpoint endpoint_;
  asio::io_context ctx_;
  asio::steady_timer timer_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
  // Emitter thread only.
  std::shared_ptr<RespConnection> conn_;
  std::deque<Publication> sent_order_;  // on the wire, awaiting their replies
  std::deque<Publication> inflight_;    // to send again after a reconnection
  std::chrono::milliseconds delay_{0};
  bool stopped_ = false;
  // Shared, under mu_.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Publication> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t enqueued_ = 0, answered_ = 0, published_ = 0, refused_ = 0, failed_since_flush_ = 0;
  bool connected_ = false;
  std::string last_error_;
};

}  // namespace detail

namespace {

std::string with_slash(std::string_view nsp) {
  if (!nsp.empty() && nsp.front() == '/') return std::string(nsp);
  return "/" + std::string(nsp);
}

}  // namespace

Emitter::Emitter(EmitterOptions options) : nsp_("/") {
  auto endpoint = net::redis::parse_redis_url(options.url);
  if (!endpoint) throw std::invalid_argument("not a redis:// URL with a host: " + options.url);
  link_ = std::make_shared<detail::EmitterLink>(std::move(options), std::move(*endpoint));
}

Emitter Emitter::of(std::string_view nsp) const { return Emitter(link_, with_slash(nsp)); }

bool Emitter::server_side_emit_args(std::string_view event, Args args) const {
  return link_->enqueue(adapter::redis::emitter_server_side(link_->key(), nsp_, event, std::move(args)));
}

bool Emitter::flush(std::chrono::milliseconds timeout, std::string* error) const { return link_->flush(timeout, error); }

EmitterStatus Emitter::status() const { return link_->status(); }

EmitterOperator EmitterOperator::to(std::string_view room) const { return to({room}); }

EmitterOperator EmitterOperator::to(std::initializer_list<std::string_view> rooms) const {
  EmitterOperator o = *this;
  for (auto r : rooms) o.opts_.rooms.emplace(r);
  return o;
}

EmitterOperator EmitterOperator::except(std::string_view room) const { return except({room}); }

EmitterOperator EmitterOperator::except(std::initializer_list<std::string_view> rooms) const {
  EmitterOperator o = *this;
  for (auto r : rooms) o.opts_.except.emplace(r);
  return o;
}

EmitterOperator EmitterOperator::volatile_() const {
  EmitterOperator o = *this;
  o.opts_.flags.volatile_ = true;
  return o;
}

EmitterOperator EmitterOperator::compress(bool on) const {
  EmitterOperator o = *this;
  o.opts_.flags.compress = on;
  return o;
}

bool EmitterOperator::emit_args(std::string_view event, Args args) const {
  return link_->enqueue(adapter::redis::emitter_event(link_->key(), nsp_, opts_, event, std::move(args)));
}

bool EmitterOperator::sockets_join(std::vector<std::string> rooms) const {
  return link_->enqueue(adapter::redis::emitter_rooms(link_->key(), nsp_, opts_, true, std::move(rooms)));
}

bool EmitterOperator::sockets_leave(std::vector<std::string> rooms) const {
  return link_->enqueue(adapter::redis::emitter_rooms(link_->key(), nsp_, opts_, false, std::move(rooms)));
}

bool EmitterOperator::disconnect_sockets(bool close) const {
  return link_->enqueue(adapter::redis::emitter_disconnect(link_->key(), nsp_, opts_, close));
}

}  // namespace sio
