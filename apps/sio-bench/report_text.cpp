#include <cmath>

#include "format.hpp"
#include "report.hpp"

namespace sio::bench {

int exit_code(const Results& r) {
  if (!r.aborted.empty()) return 2;
  return r.errors.total() ? 1 : 0;
}

namespace {

std::string what_was_run(const Results& r) {
  const Options& o = r.opts;
  std::string s = "sio-bench " + std::string(name_of(o.scenario)) + "  " + o.url + " (namespace " + r.url_nsp +
                  ", path " + o.path + ")  transport " + std::string(name_of(o.transport)) + "\n  ";
  if (o.scenario == ScenarioKind::connect) s += std::to_string(o.conns) + " connections being set up at once";
  else
    s += std::to_string(o.conns) + " connections (" + std::to_string(r.conns_joined_start) + " joined, in " +
         fixed(r.connect_seconds, 2) + " s)";
  if (o.scenario == ScenarioKind::echo) s += ", " + std::to_string(o.inflight) + " in flight each";
  if (o.scenario == ScenarioKind::bcast) s += ", " + std::to_string(o.inflight) + " broadcasts in flight";
  if (o.scenario == ScenarioKind::rate) s += ", " + fixed(o.rate, 0) + " events/s in total";
  if (o.scenario != ScenarioKind::idle && o.scenario != ScenarioKind::connect)
    s += ", payload " + std::to_string(o.payload) + " B";
  s += "\n  " + fixed(r.seconds, 1) + " s measured after " +
       fixed(o.scenario == ScenarioKind::idle ? o.settle : o.warmup, 1) +
       (o.scenario == ScenarioKind::idle ? " s settling\n" : " s warm-up\n");
  return s;
}

}  // namespace

std::string text_report(const Results& r) {
  std::string s = what_was_run(r);
  if (!r.aborted.empty()) s += "\n  ABORTED: " + r.aborted + "\n";
  s += "\n";
  if (r.opts.scenario != ScenarioKind::idle) {
    s += "  " + r.unit + ": " + std::to_string(r.events) + "  (" + fixed(r.events_per_sec, 0) + "/s)\n";
    const Histogram& h = r.latency;
    s += "  latency: p50 " + duration(h.quantile(0.5)) + "  p90 " + duration(h.quantile(0.9)) + "  p99 " +
         duration(h.quantile(0.99)) + "  p99.9 " + duration(h.quantile(0.999)) + "  max " + duration(h.max()) +
         "  mean " + duration(static_cast<std::uint64_t>(h.mean())) + "\n";
  } else {
    s += "  connections held: " + std::to_string(r.conns_joined_end) + "\n";
  }
  for (const auto& [k, v] : r.extras) s += "  " + k + ": " + fixed(v, std::abs(v) < 100 ? 2 : 0) + "\n";
  s += "  errors: " + std::to_string(r.errors.total());
  if (r.errors.total()) {
    s += "\n";
    for (std::size_t i = 0; i < kErrorKinds; ++i) {
      const auto k = static_cast<ErrorKind>(i);
      if (r.errors.count(k))
        s += "    " + std::string(name_of(k)) + " " + std::to_string(r.errors.count(k)) + "  e.g. " +
             r.errors.example(k) + "\n";
    }
  } else {
    s += "\n";
  }
  if (r.server) {
    const ServerUsage& u = *r.server;
    s += "  server (pid " + std::to_string(u.pid) + "): CPU " + fixed(u.cpu_percent, 1) + "%  RSS " +
         bytes(static_cast<double>(u.rss_end)) + " (before connecting " + bytes(static_cast<double>(u.rss_before)) +
         ", peak " + bytes(static_cast<double>(u.rss_peak)) + ")";
    if (r.conns_joined_end) s += ", growth per connection " + bytes(u.rss_per_conn);
    s += "\n";
  }
  s += "  load tool: CPU " + fixed(r.tool_cpu_percent, 1) + "%  RSS " + bytes(static_cast<double>(r.tool_rss)) + "\n";
  s += "  machine: CPU " + fixed(r.machine_cpu_percent, 1) + "% in all, of which other work " +
       fixed(r.others_cpu_percent, 1) + "%" + (r.server ? "" : " (server included: not sampled)") + "\n";
  if (r.tool_saturated)
    s += "  WARNING: the load tool used " + fixed(r.tool_cpu_percent, 0) +
         "% of a core: it may be what limits the rate; read the numbers as a lower bound.\n";
  return s;
}

}  // namespace sio::bench
