#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "report.hpp"

namespace sio::bench {

namespace json = boost::json;

namespace {

double us(std::uint64_t ns) { return static_cast<double>(ns) / 1e3; }

json::object latency_of(const Histogram& h) {
  return {{"count", h.count()},      {"min", us(h.min())},
          {"p50", us(h.quantile(0.5))}, {"p90", us(h.quantile(0.9))},
          {"p99", us(h.quantile(0.99))}, {"p999", us(h.quantile(0.999))},
          {"max", us(h.max())},      {"mean", h.mean() / 1e3}};
}

}  // namespace

std::string json_report(const Results& r) {
  const Options& o = r.opts;
  json::object j;
  j["scenario"] = name_of(o.scenario);
  j["transport"] = name_of(o.transport);
  j["url"] = o.url;
  j["namespace"] = r.url_nsp;
  j["conns"] = o.conns;
  j["inflight"] = o.inflight;
  j["rate"] = o.rate;
  j["payload"] = o.payload;
  j["duration"] = o.duration;
  j["warmup"] = o.warmup;
  j["aborted"] = r.aborted.empty() ? json::value(nullptr) : json::value(r.aborted);
  j["unit"] = r.unit;
  j["events"] = r.events;
  j["seconds"] = r.seconds;
  j["events_per_sec"] = r.events_per_sec;
  j["latency_us"] = latency_of(r.latency);
  json::object errors{{"total", r.errors.total()}};
  json::object examples;
  for (std::size_t i = 0; i < kErrorKinds; ++i) {
    const auto k = static_cast<ErrorKind>(i);
    errors[name_of(k)] = r.errors.count(k);
    if (r.errors.count(k)) examples[name_of(k)] = r.errors.example(k);
  }
  errors["examples"] = std::move(examples);
  j["errors"] = std::move(errors);
  j["conns_joined_start"] = r.conns_joined_start;
  j["conns_joined_end"] = r.conns_joined_end;
  j["connect_seconds"] = r.connect_seconds;
  if (r.server) {
    const ServerUsage& u = *r.server;
    j["server"] = json::object{{"pid", u.pid},
                               {"cpu_percent", u.cpu_percent},
                               {"rss_before", u.rss_before},
                               {"rss_start", u.rss_start},
                               {"rss_end", u.rss_end},
                               {"rss_peak", u.rss_peak},
                               {"rss_per_conn", u.rss_per_conn}};
  } else {
    j["server"] = nullptr;
  }
  j["tool"] = json::object{{"cpu_percent", r.tool_cpu_percent}, {"rss", r.tool_rss}, {"saturated", r.tool_saturated}};
  j["machine"] = json::object{{"cpu_percent", r.machine_cpu_percent}, {"others_cpu_percent", r.others_cpu_percent}};
  json::object extras;
  for (const auto& [k, v] : r.extras) extras[k] = v;
  j["extras"] = std::move(extras);
  json::array timeline;
  for (const TimelinePoint& p : r.timeline)
    timeline.push_back(json::object{{"t", p.t},
                                    {"events_per_sec", p.events_per_sec},
                                    {"p50_us", us(p.p50_ns)},
                                    {"p99_us", us(p.p99_ns)},
                                    {"conns", p.conns},
                                    {"errors", p.errors},
                                    {"server_cpu", p.server_cpu},
                                    {"server_rss", p.server_rss},
                                    {"tool_cpu", p.tool_cpu}});
  j["timeline"] = std::move(timeline);
  return json::serialize(j) + "\n";
}

}  // namespace sio::bench
