// rate: an open loop. Events leave at `rate` per second in total, spread over
// the connections in turn, on schedule whatever the answers do; each answer's
// round trip is measured from the moment its event was written. How late the
// tool itself sends (its schedule lag) is reported too: when that grows, the
// tool, not the server, is falling behind.
#include <algorithm>
#include <chrono>
#include <deque>

#include <boost/asio/steady_timer.hpp>

#include "scenarios.hpp"

namespace sio::bench {

namespace {

class Rate final : public Scenario {
 public:
  explicit Rate(Context& cx) : Scenario(cx), timer_(cx.io), flows_(cx.opts.conns) {}

  std::string_view unit() const override { return "round trips"; }

  void begin_load() override {
    running_ = true;
    start_ns_ = now_ns();
    sent_ = 0;
    schedule();
  }

  void end_load() override {
    running_ = false;
    timer_.cancel();
  }

  std::vector<std::pair<std::string, double>> extras() const override {
    return {{"target_rate", cx_.opts.rate},
            {"schedule_lag_p50_us", static_cast<double>(lag_.quantile(0.5)) / 1e3},
            {"schedule_lag_p99_us", static_cast<double>(lag_.quantile(0.99)) / 1e3}};
  }

 protected:
  void joined(Conn& c) override { flows_[c.slot()] = Flow{}; }

  void on_event(Conn& c, const EventCodec::Incoming& ev) override {
    const std::uint64_t now = now_ns();
    Flow& f = flows_[c.slot()];
    if (ev.event != "echo" || !ev.well_formed) {
      cx_.stats.errors.add(ErrorKind::protocol, "echo answer is not [\"echo\",<seq>,\"<payload>\"]");
      return;
    }
    if (f.sent_at.empty() || ev.seq != f.next_recv) {
      cx_.stats.errors.add(ErrorKind::protocol, "echo answers out of order or unasked for");
      if (ev.seq < f.next_recv || ev.seq >= f.next_recv + f.sent_at.size()) return;
      f.sent_at.erase(f.sent_at.begin(), f.sent_at.begin() + static_cast<std::ptrdiff_t>(ev.seq - f.next_recv));
      f.next_recv = ev.seq;
    }
    cx_.stats.record(now - f.sent_at.front());
    f.sent_at.pop_front();
    ++f.next_recv;
  }

 private:
  struct Flow {
    std::uint64_t next_send = 0, next_recv = 0;
    std::deque<std::uint64_t> sent_at;  // of the events in flight, oldest first
  };

  std::uint64_t due_ns(std::uint64_t i) const {
    return start_ns_ + static_cast<std::uint64_t>(static_cast<double>(i) * 1e9 / cx_.opts.rate);
  }

  void schedule() {
    if (!running_) return;
    timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(due_ns(sent_))));
    timer_.async_wait([this](std::error_code ec) {
      if (!ec) fire();
    });
  }

  void fire() {
    const std::uint64_t now = now_ns();
    while (running_ && due_ns(sent_) <= now) {
      lag_.record(now - due_ns(sent_));
      send_next();
      ++sent_;
    }
    schedule();
  }

  // The next joined connection in turn.
  void send_next() {
    for (std::size_t tries = 0; tries < conns_.size(); ++tries) {
      cursor_ = (cursor_ + 1) % conns_.size();
      Conn* c = conns_[cursor_].get();
      if (!c || !c->joined()) continue;
      Flow& f = flows_[cursor_];
      f.sent_at.push_back(now_ns());
      c->emit("echo", f.next_send++);
      return;
    }
  }

  boost::asio::steady_timer timer_;
  std::vector<Flow> flows_;
  Histogram lag_;
  std::uint64_t start_ns_ = 0;
  std::uint64_t sent_ = 0;
  std::size_t cursor_ = 0;
};

}  // namespace

std::unique_ptr<Scenario> make_rate(Context& cx) { return std::make_unique<Rate>(cx); }

}  // namespace sio::bench
