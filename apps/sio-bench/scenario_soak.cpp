// soak: a long run that shows whether a server stays flat. `conns`
// connections are held; `churn` of them a second are replaced (the slot stops
// sending, is closed once its acks are in, and opens again); `rate` "echo"
// events a second, each asking for an ack, go out over the joined connections
// in turn. Every ack is matched to its event. The last `drain` seconds send
// nothing and replace nothing, so an ack still missing at the end is lost, as
// is every ack outstanding on a connection that failed.
//
// Every `sample` seconds one line on stdout (the "sample" lines), for
// bench/soak.sh to read:
//   t  conns  replaced  acks_sent  acks_ok  acks_lost  in_flight
//   ack_p50_ms  ack_p99_ms  ack_max_ms  server_rss_kb  server_fds  server_cpu
// The ack round trips of the interval stand for the server's loop lag: an
// event waits in its loop's queue before the echo handler answers it, so
// their p99 and max bound that wait from above (with the tool's and the
// network's share in them; the tool's CPU is in the final report).
#include <chrono>
#include <cstdio>
#include <deque>

#include <boost/asio/steady_timer.hpp>

#include "proc_stats.hpp"
#include "scenarios.hpp"

namespace sio::bench {

namespace {


class Soak final : public Scenario {
 public:
  explicit Soak(Context& cx) : Scenario(cx), timer_(cx.io), flows_(cx.opts.conns) {}

  std::string_view unit() const override { return "acks"; }

  void begin_load() override {
    running_ = true;
    begin_ns_ = now_ns();
    stop_ns_ = begin_ns_ + static_cast<std::uint64_t>((cx_.opts.warmup + cx_.opts.duration - cx_.opts.drain) * 1e9);
    next_sample_ns_ = begin_ns_;
    if (cx_.opts.server_pid)
      if (auto s = sample_process(cx_.opts.server_pid)) last_cpu_ = s->cpu_seconds;
    last_sample_ns_ = begin_ns_;
    std::printf("sample %6s %6s %8s %10s %10s %6s %6s %8s %8s %8s %10s %6s %6s\n", "t_s", "conns", "replaced",
                "acks_sent", "acks_ok", "lost", "flight", "p50_ms", "p99_ms", "max_ms", "rss_kb", "fds", "cpu%");
    sample(begin_ns_);
    schedule();
  }

  void end_load() override {
    if (!finished_) {
      finished_ = true;
      // Whatever is still outstanding after the drain is lost.
      for (auto& f : flows_) {
        lost_ += f.in_flight.size();
        f.in_flight.clear();
      }
      sample(now_ns());
    }
    running_ = false;
    timer_.cancel();
  }

  void tick(std::uint64_t now) override {
    Scenario::tick(now);
    if (!running_) return;
    if (now >= next_sample_ns_) sample(now);
    if (now >= stop_ns_) return;
    // Replacements due by now: the next slots in turn stop sending.
    const auto due = static_cast<std::uint64_t>(static_cast<double>(now - begin_ns_) / 1e9 * cx_.opts.churn);
    while (churned_ < due) {
      churn_cursor_ = (churn_cursor_ + 1) % conns_.size();
      flows_[churn_cursor_].replacing = true;
      replacing_.push_back(churn_cursor_);
      ++churned_;
    }
    // Those whose acks are all in (or which are not joined) are replaced.
    std::erase_if(replacing_, [&](std::size_t slot) {
      Conn* c = conns_[slot].get();
      if (c && c->state() == Conn::State::connecting) return false;  // let it finish first
      if (c && c->joined() && !flows_[slot].in_flight.empty()) return false;
      replace(slot);
      return true;
    });
  }

  std::vector<std::pair<std::string, double>> extras() const override {
    return {{"acks_sent", static_cast<double>(sent_)},
            {"acks_ok", static_cast<double>(acked_)},
            {"acks_lost", static_cast<double>(lost_)},
            {"replaced", static_cast<double>(replaced_)},
            {"target_rate", cx_.opts.rate},
            {"churn_per_sec", cx_.opts.churn}};
  }

 protected:
  void joined(Conn& c) override { flows_[c.slot()] = Flow{}; }

  void failed(Conn& c) override {
    Flow& f = flows_[c.slot()];
    lost_ += f.in_flight.size();
    f.in_flight.clear();
    // Keep `conns` connections: the slot opens again (from tick, not from
    // inside the failing connection's own callback).
    if (!f.replacing) {
      f.replacing = true;
      replacing_.push_back(c.slot());
    }
  }

  void on_event(Conn& c, const EventCodec::Incoming& ev) override {
    if (ev.kind == EventCodec::Incoming::Kind::event) return;  // the echo itself; the ack is what counts
    const std::uint64_t now = now_ns();
    Flow& f = flows_[c.slot()];
    if (!ev.well_formed || ev.seq != ev.ack_id) {
      cx_.stats.errors.add(ErrorKind::protocol, "ack is not [<seq>,\"<payload>\"] for its event");
      return;
    }
    // Acks come back in order on a connection; anything else is an error
    // (and the acks skipped stay outstanding, to be counted lost).
    auto it = f.in_flight.begin();
    while (it != f.in_flight.end() && it->id != ev.ack_id) ++it;
    if (it == f.in_flight.end()) {
      cx_.stats.errors.add(ErrorKind::protocol, "ack for no event in flight");
      return;
    }
    if (it != f.in_flight.begin()) cx_.stats.errors.add(ErrorKind::protocol, "acks out of order");
    const std::uint64_t rtt = now - it->sent_ns;
    cx_.stats.record(rtt);
    interval_.record(rtt);
    f.in_flight.erase(it);
    ++acked_;
  }

 private:
  struct InFlight {
    std::uint64_t id;
    std::uint64_t sent_ns;
  };
  struct Flow {
    std::uint64_t next_id = 0;
    std::deque<InFlight> in_flight;  // oldest first
    bool replacing = false;          // sends nothing more; replaced once its acks are in
  };

  void replace(std::size_t slot) {
    flows_[slot] = Flow{};
    open(slot);
    ++replaced_;
  }

  std::uint64_t due_ns(std::uint64_t i) const {
    return begin_ns_ + static_cast<std::uint64_t>(static_cast<double>(i) * 1e9 / cx_.opts.rate);
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
    if (now >= stop_ns_) return;  // the drain: no new events
    while (running_ && due_ns(sent_) <= now) send_next();
    schedule();
  }

  // The next joined connection in turn that is not being replaced.
  void send_next() {
    for (std::size_t tries = 0; tries < conns_.size(); ++tries) {
      cursor_ = (cursor_ + 1) % conns_.size();
      Conn* c = conns_[cursor_].get();
      Flow& f = flows_[cursor_];
      if (!c || !c->joined() || f.replacing) continue;
      const std::uint64_t id = f.next_id++;
      f.in_flight.push_back({id, now_ns()});
      c->emit("echo", id, id);
      ++sent_;
      return;
    }
    ++sent_;  // nobody to send to: the event is skipped, not owed
    ++skipped_;
  }

  void sample(std::uint64_t now) {
    std::size_t in_flight = 0;
    for (const auto& f : flows_) in_flight += f.in_flight.size();
    long long rss_kb = -1, fds = -1;
    double cpu = -1;
    if (cx_.opts.server_pid) {
      if (auto s = sample_process(cx_.opts.server_pid)) {
        rss_kb = static_cast<long long>(s->rss_bytes / 1024);
        const double secs = static_cast<double>(now - last_sample_ns_) / 1e9;
        if (secs > 0) cpu = (s->cpu_seconds - last_cpu_) / secs * 100;
        last_cpu_ = s->cpu_seconds;
      }
      if (auto n = count_fds(cx_.opts.server_pid)) fds = static_cast<long long>(*n);
    }
    const auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
    std::printf("sample %6.0f %6llu %8llu %10llu %10llu %6llu %6zu %8.2f %8.2f %8.2f %10lld %6lld %6.1f\n",
                static_cast<double>(now - begin_ns_) / 1e9, static_cast<unsigned long long>(cx_.stats.joined),
                static_cast<unsigned long long>(replaced_), static_cast<unsigned long long>(sent_ - skipped_),
                static_cast<unsigned long long>(acked_), static_cast<unsigned long long>(lost_), in_flight,
                ms(interval_.quantile(0.5)), ms(interval_.quantile(0.99)), ms(interval_.max()), rss_kb, fds, cpu);
    std::fflush(stdout);
    interval_.reset();
    last_sample_ns_ = now;
    next_sample_ns_ = now + static_cast<std::uint64_t>(cx_.opts.sample * 1e9);
  }

  boost::asio::steady_timer timer_;
  std::vector<Flow> flows_;
  std::vector<std::size_t> replacing_;  // slots waiting to be replaced
  Histogram interval_;                  // ack round trips since the last sample
  std::uint64_t begin_ns_ = 0, stop_ns_ = 0, next_sample_ns_ = 0, last_sample_ns_ = 0;
  double last_cpu_ = 0;
  std::uint64_t sent_ = 0, skipped_ = 0, acked_ = 0, lost_ = 0, replaced_ = 0, churned_ = 0;
  std::size_t cursor_ = 0, churn_cursor_ = 0;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<Scenario> make_soak(Context& cx) { return std::make_unique<Soak>(cx); }

}  // namespace sio::bench
