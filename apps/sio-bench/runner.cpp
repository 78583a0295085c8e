#include "runner.hpp"

#include <openssl/ssl.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "proc_stats.hpp"
#include "progress.hpp"
#include "scenarios.hpp"
#include "url.hpp"

namespace sio::bench {

namespace asio = boost::asio;

namespace {

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr std::uint64_t kSecond = 1'000'000'000ull;
constexpr double kSaturated = 90;  // tool CPU % from which the tool may be what limits the rate

enum class Phase { connect, warmup, measure, done };

class Run {
 public:
  Run(Context& cx, Scenario& sc, Results& r) : cx_(cx), sc_(sc), r_(r), timer_(cx.io), progress_(cx.opts) {}

  void start() {
    const std::uint64_t now = now_ns();
    phase_start_ = last_point_ = now;
    if (cx_.opts.server_pid) {
      const auto s = sample_process(cx_.opts.server_pid);
      r_.server = ServerUsage{};
      r_.server->pid = cx_.opts.server_pid;
      if (s) {
        r_.server->rss_before = r_.server->rss_peak = s->rss_bytes;
        last_server_ = *s;
      }
    }
    last_tool_ = sample_self();
    sc_.start();
    schedule();
  }

 private:
  void schedule() {
    timer_.expires_after(kTick);
    timer_.async_wait([this](std::error_code ec) {
      if (!ec) tick();
    });
  }

  void tick() {
    const std::uint64_t now = now_ns();
    sc_.tick(now);
    switch (phase_) {
      case Phase::connect:
        if (sc_.ready()) {
          r_.connect_seconds = static_cast<double>(now - phase_start_) / 1e9;
          if (cx_.stats.joined == 0 && cx_.opts.scenario != ScenarioKind::connect) {
            r_.aborted = "no connection joined the namespace";
            return finish(now);
          }
          enter(Phase::warmup, now);
          sc_.begin_load();
        }
        break;
      case Phase::warmup: {
        const double wait = cx_.opts.scenario == ScenarioKind::idle ? cx_.opts.settle : cx_.opts.warmup;
        if (now - phase_start_ >= static_cast<std::uint64_t>(wait * 1e9)) {
          enter(Phase::measure, now);
          cx_.stats.start_measuring(now);
          r_.conns_joined_start = cx_.stats.joined;
          measure_tool_ = sample_self();
          measure_machine_ = machine_busy_seconds();
          if (r_.server) {
            if (auto s = sample_process(cx_.opts.server_pid)) {
              measure_server_ = *s;
              r_.server->rss_start = s->rss_bytes;
            }
          }
        }
        break;
      }
      case Phase::measure:
        if (now - phase_start_ >= static_cast<std::uint64_t>(cx_.opts.duration * 1e9)) return finish(now);
        break;
      case Phase::done:
        return;
    }
    if (now - last_point_ >= kSecond) add_point(now);
    progress_.draw(phase_name(), static_cast<double>(now - phase_start_) / 1e9, cx_.stats, last_, cx_.opts.conns);
    schedule();
  }

  void enter(Phase p, std::uint64_t now) {
    phase_ = p;
    phase_start_ = now;
  }

  const char* phase_name() const {
    switch (phase_) {
      case Phase::connect: return "connect";
      case Phase::warmup: return cx_.opts.scenario == ScenarioKind::idle ? "settle" : "warm-up";
      case Phase::measure: return cx_.opts.scenario == ScenarioKind::idle ? "hold" : "measure";
      case Phase::done: return "done";
    }
    return "";
  }

  void add_point(std::uint64_t now) {
    const double interval = static_cast<double>(now - last_point_) / 1e9;
    // Timeline points are seconds into the measured window; -1 before it.
    const double t = phase_ == Phase::measure ? static_cast<double>(now - phase_start_) / 1e9 : -1;
    TimelinePoint p = cx_.stats.take_interval(t, interval);
    const ProcSample tool = sample_self();
    p.tool_cpu = (tool.cpu_seconds - last_tool_.cpu_seconds) / interval * 100;
    last_tool_ = tool;
    if (r_.server) {
      if (auto s = sample_process(cx_.opts.server_pid)) {
        p.server_cpu = (s->cpu_seconds - last_server_.cpu_seconds) / interval * 100;
        p.server_rss = s->rss_bytes;
        r_.server->rss_peak = std::max(r_.server->rss_peak, s->rss_bytes);
        last_server_ = *s;
      }
    }
    last_point_ = now;
    last_ = p;
    if (phase_ == Phase::measure) cx_.stats.timeline.push_back(p);
  }

  void finish(std::uint64_t now) {
    const bool measured = phase_ == Phase::measure;
    if (measured && now - last_point_ >= kSecond / 2) add_point(now);
    cx_.stats.stop_measuring(now);
    phase_ = Phase::done;
    progress_.clear();
    sc_.end_load();
    r_.unit = std::string(sc_.unit());
    r_.extras = sc_.extras();
    r_.conns_joined_end = cx_.stats.joined;
    if (measured) {
      r_.events = cx_.stats.events();
      r_.seconds = cx_.stats.measured_seconds();
      r_.events_per_sec = r_.seconds > 0 ? static_cast<double>(r_.events) / r_.seconds : 0;
      const ProcSample tool = sample_self();
      r_.tool_cpu_percent = (tool.cpu_seconds - measure_tool_.cpu_seconds) / r_.seconds * 100;
      r_.tool_rss = tool.rss_bytes;
      r_.tool_saturated = r_.tool_cpu_percent >= kSaturated;
      r_.machine_cpu_percent = (machine_busy_seconds() - measure_machine_) / r_.seconds * 100;
      r_.others_cpu_percent = r_.machine_cpu_percent - r_.tool_cpu_percent;
      if (r_.server) {
        if (auto s = sample_process(cx_.opts.server_pid)) {
          r_.server->cpu_percent = (s->cpu_seconds - measure_server_.cpu_seconds) / r_.seconds * 100;
          r_.others_cpu_percent -= r_.server->cpu_percent;
          r_.server->rss_end = s->rss_bytes;
          r_.server->rss_peak = std::max(r_.server->rss_peak, s->rss_bytes);
          if (r_.conns_joined_end > 0 && s->rss_bytes > r_.server->rss_before)
            r_.server->rss_per_conn = static_cast<double>(s->rss_bytes - r_.server->rss_before) /
                                      static_cast<double>(r_.conns_joined_end);
        } else {
          cx_.stats.errors.add(ErrorKind::closed, "the server process is gone");
        }
      }
    }
    r_.latency = cx_.stats.latency();
    r_.timeline = cx_.stats.timeline;
    r_.errors = cx_.stats.errors;
    sc_.close_all();
    // Let the goodbyes (WebSocket closes, polling close packets) go out, then stop.
    timer_.expires_after(std::chrono::milliseconds(200));
    timer_.async_wait([this](std::error_code) { cx_.io.stop(); });
  }

  Context& cx_;
  Scenario& sc_;
  Results& r_;
  asio::steady_timer timer_;
  Progress progress_;
  Phase phase_ = Phase::connect;
  std::uint64_t phase_start_ = 0;
  std::uint64_t last_point_ = 0;
  TimelinePoint last_;
  ProcSample last_tool_, measure_tool_, last_server_, measure_server_;
  double measure_machine_ = 0;
};

}  // namespace

Results run(const Options& opts) {
  Results r;
  r.opts = opts;
  const auto url = parse_url(opts.url);
  if (!url) {
    r.aborted = "not an http:// or https:// URL: " + opts.url;
    return r;
  }
  r.url_nsp = url->nsp;
  if (opts.server_pid && !sample_process(opts.server_pid)) {
    r.aborted = "no process " + std::to_string(opts.server_pid) + " to sample";
    return r;
  }
  asio::io_context io(1);
  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto found = resolver.resolve(url->host, url->port, ec);
  if (ec || found.empty()) {
    r.aborted = "cannot resolve " + url->host + ": " + ec.message();
    return r;
  }
  std::string path = opts.path;
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  if (path.back() != '/') path.push_back('/');
  net::SslCtxPtr tls;
  if (url->tls) {
    tls.reset(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    SSL_CTX_set_verify(tls.get(), SSL_VERIFY_NONE, nullptr);  // the server's own certificate, whatever it is
    SSL_CTX_set_mode(tls.get(), SSL_MODE_RELEASE_BUFFERS);
  }
  Context cx{io,
             Target{found.begin()->endpoint(), url->host + ":" + url->port, path, tls},
             EventCodec(url->nsp, make_payload(opts.payload)),
             opts,
             Stats{}};
  {
    std::unique_ptr<Scenario> sc = make_scenario(cx);
    Run runner(cx, *sc, r);
    runner.start();
    io.run();
  }
  return r;
}

std::unique_ptr<Scenario> make_scenario(Context& cx) {
  switch (cx.opts.scenario) {
    case ScenarioKind::echo: return make_echo(cx);
    case ScenarioKind::rate: return make_rate(cx);
    case ScenarioKind::bcast: return make_bcast(cx);
    case ScenarioKind::idle: return make_idle(cx);
    case ScenarioKind::connect: return make_connect(cx);
    case ScenarioKind::soak: return make_soak(cx);
  }
  return nullptr;
}

}  // namespace sio::bench
