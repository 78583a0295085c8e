#include <cmath>

#include "format.hpp"
#include "report.hpp"
#include "svg.hpp"

namespace sio::bench {

namespace {

std::string ms_label(double v) { return fixed(v, v < 1 ? 2 : v < 10 ? 1 : 0); }

// The histogram's buckets, regrouped into 10 bins per decade of latency, as
// (latency ms, % of events).
svg::Series distribution(const Histogram& h) {
  svg::Series s{"events", "#1f77b4", {}, true};
  if (h.count() == 0) return s;
  std::vector<std::pair<int, std::uint64_t>> bins;  // (bin, count)
  for (const auto& b : h.buckets()) {
    const int bin = static_cast<int>(std::floor(std::log10(std::max<double>(static_cast<double>(b.upper), 1)) * 10));
    if (bins.empty() || bins.back().first != bin) bins.emplace_back(bin, 0);
    bins.back().second += b.count;
  }
  const double total = static_cast<double>(h.count());
  for (const auto& [bin, n] : bins) {
    const double ms = std::pow(10, bin / 10.0) / 1e6;
    s.points.emplace_back(ms, static_cast<double>(n) / total * 100);
  }
  // Close the last step.
  s.points.emplace_back(std::pow(10, (bins.back().first + 1) / 10.0) / 1e6, 0);
  return s;
}

// Latency at each percentile, x = 1 / (1 - q) on a log scale.
svg::Series spectrum(const Histogram& h) {
  svg::Series s{"latency", "#d62728", {}, false};
  if (h.count() == 0) return s;
  for (double q = 0; q < 0.99999; q = 1 - (1 - q) * 0.8)
    s.points.emplace_back(1 / (1 - q), static_cast<double>(h.quantile(q)) / 1e6);
  return s;
}

std::string row(const std::string& k, const std::string& v) {
  return "<tr><th>" + svg::escape(k) + "</th><td>" + svg::escape(v) + "</td></tr>";
}

}  // namespace

std::string html_report(const Results& r) {
  const Options& o = r.opts;
  const Histogram& h = r.latency;
  std::string title = "sio-bench " + std::string(name_of(o.scenario)) + " — " + std::string(name_of(o.transport));
  std::string out =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + svg::escape(title) +
      "</title><style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:12px 0}"
      "th,td{padding:3px 12px;text-align:left;border-bottom:1px solid #eee}th{color:#555;font-weight:normal}"
      "figure{margin:16px 0}.warn{color:#b00}</style></head><body>";
  out += "<h1>" + svg::escape(title) + "</h1>";
  if (!r.aborted.empty()) out += "<p class=\"warn\">Aborted: " + svg::escape(r.aborted) + "</p>";
  out += "<table>";
  out += row("server", o.url + " (namespace " + r.url_nsp + ", path " + o.path + ")");
  out += row("connections", std::to_string(o.conns) + " (joined: " + std::to_string(r.conns_joined_start) +
                                " at start, " + std::to_string(r.conns_joined_end) + " at end)");
  if (o.scenario == ScenarioKind::echo || o.scenario == ScenarioKind::bcast)
    out += row("in flight", std::to_string(o.inflight));
  if (o.scenario == ScenarioKind::rate) out += row("target rate", fixed(o.rate, 0) + " events/s");
  out += row("payload", std::to_string(o.payload) + " B");
  out += row("measured", fixed(r.seconds, 1) + " s");
  out += row(r.unit, std::to_string(r.events) + " (" + fixed(r.events_per_sec, 0) + "/s)");
  out += row("latency", "p50 " + duration(h.quantile(0.5)) + ", p90 " + duration(h.quantile(0.9)) + ", p99 " +
                            duration(h.quantile(0.99)) + ", p99.9 " + duration(h.quantile(0.999)) + ", max " +
                            duration(h.max()));
  std::string errors = std::to_string(r.errors.total());
  for (std::size_t i = 0; i < kErrorKinds; ++i) {
    const auto k = static_cast<ErrorKind>(i);
    if (r.errors.count(k))
      errors += "; " + std::string(name_of(k)) + " " + std::to_string(r.errors.count(k)) + " (e.g. " +
                r.errors.example(k) + ")";
  }
  out += row("errors", errors);
  for (const auto& [k, v] : r.extras) out += row(k, fixed(v, 2));
  if (r.server)
    out += row("server", "CPU " + fixed(r.server->cpu_percent, 1) + "%, RSS " +
                             bytes(static_cast<double>(r.server->rss_end)) + " (before connecting " +
                             bytes(static_cast<double>(r.server->rss_before)) + "), growth per connection " +
                             bytes(r.server->rss_per_conn));
  out += row("load tool", "CPU " + fixed(r.tool_cpu_percent, 1) + "%, RSS " + bytes(static_cast<double>(r.tool_rss)));
  out += row("machine", "CPU " + fixed(r.machine_cpu_percent, 1) + "% in all, other work " + fixed(r.others_cpu_percent, 1) + "%");
  out += "</table>";
  if (r.tool_saturated)
    out += "<p class=\"warn\">The load tool used nearly a whole core: the rate is a lower bound.</p>";

  if (o.scenario != ScenarioKind::idle) {
    svg::Chart dist{"Latency distribution", "latency (ms, log scale)", "% of " + r.unit, true, {}, nullptr};
    out += "<figure>" + svg::line_chart(dist, {distribution(h)}) + "</figure>";
    svg::Chart spec{"Latency by percentile", "percentile", "latency (ms)", true,
                    {{1, "0%"}, {2, "50%"}, {10, "90%"}, {100, "99%"}, {1000, "99.9%"}, {10000, "99.99%"}},
                    ms_label};
    out += "<figure>" + svg::line_chart(spec, {spectrum(h)}) + "</figure>";
  }
  svg::Series rate{r.unit + "/s", "#2ca02c", {}, false};
  svg::Series p50{"p50", "#1f77b4", {}, false}, p99{"p99", "#d62728", {}, false};
  svg::Series scpu{"server CPU %", "#9467bd", {}, false}, tcpu{"load tool CPU %", "#8c564b", {}, false};
  svg::Series rss{"server RSS (MB)", "#17becf", {}, false};
  for (const TimelinePoint& p : r.timeline) {
    rate.points.emplace_back(p.t, p.events_per_sec);
    p50.points.emplace_back(p.t, static_cast<double>(p.p50_ns) / 1e6);
    p99.points.emplace_back(p.t, static_cast<double>(p.p99_ns) / 1e6);
    tcpu.points.emplace_back(p.t, p.tool_cpu);
    if (p.server_cpu >= 0) {
      scpu.points.emplace_back(p.t, p.server_cpu);
      rss.points.emplace_back(p.t, static_cast<double>(p.server_rss) / (1024 * 1024));
    }
  }
  if (o.scenario != ScenarioKind::idle) {
    out += "<figure>" + svg::line_chart({"Throughput over time", "seconds", r.unit + " per second", false, {}, nullptr}, {rate}) + "</figure>";
    out += "<figure>" +
           svg::line_chart({"Latency over time", "seconds", "latency (ms)", false, {}, ms_label}, {p50, p99}) +
           "</figure>";
  }
  std::vector<svg::Series> cpu{tcpu};
  if (!scpu.points.empty()) cpu.insert(cpu.begin(), scpu);
  out += "<figure>" + svg::line_chart({"CPU over time", "seconds", "% of one core", false, {}, nullptr}, cpu) + "</figure>";
  if (!rss.points.empty())
    out += "<figure>" + svg::line_chart({"Server memory over time", "seconds", "MB", false, {}, nullptr}, {rss}) + "</figure>";
  return out + "</body></html>\n";
}

}  // namespace sio::bench
