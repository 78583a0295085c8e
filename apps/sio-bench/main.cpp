// sio-bench: a load tool for any Socket.IO v4 server (protocol v5 over
// Engine.IO v4): many connections from one thread, over WebSocket, polling,
// or polling upgraded to WebSocket. See `sio-bench --help` and bench/README.md.
//
//   sio-bench echo --url http://127.0.0.1:3000 --conns 100 --inflight 16 --duration 10
//   sio-bench rate --rate 5000 --server-pid $(pgrep -n socketio-echo) --report out.html
//   sio-bench idle --conns 10000 --server-pid PID --json
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>

#include <CLI/CLI.hpp>

#include "options.hpp"
#include "report.hpp"
#include "runner.hpp"

namespace {

using sio::bench::Options;
using sio::bench::ScenarioKind;
using sio::bench::Transport;

void add_common(CLI::App& cmd, Options& o) {
  cmd.add_option("--url", o.url, "server URL; its path is the namespace to join")->capture_default_str();
  cmd.add_option("--path", o.path, "Engine.IO path on the server")->capture_default_str();
  cmd.add_option("--conns", o.conns, "connections (connect: set up at once)")->capture_default_str();
  cmd.add_option("--duration", o.duration, "seconds measured")->capture_default_str();
  cmd.add_option("--warmup", o.warmup, "seconds of load before measuring")->capture_default_str();
  cmd.add_option("--transport", o.transport, "websocket | polling | upgrade (polling, then WebSocket)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Transport>{{"websocket", Transport::websocket},
                                                                           {"polling", Transport::polling},
                                                                           {"upgrade", Transport::upgrade}}))
      ->capture_default_str();
  cmd.add_option("--payload", o.payload, "bytes of each event's string argument")->capture_default_str();
  cmd.add_option("--connect-concurrency", o.connect_concurrency, "connections opened at once")
      ->capture_default_str();
  cmd.add_option("--handshake-timeout", o.handshake_timeout, "seconds from connect to namespace joined")
      ->capture_default_str();
  cmd.add_option("--server-pid", o.server_pid, "sample this process's CPU and memory");
  cmd.add_flag("--json", o.json, "print the results as JSON (for scripts)");
  cmd.add_option("--report", o.report, "write a self-contained HTML report to this file");
  cmd.add_flag("!--quiet", o.progress, "no live progress line");
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"sio-bench: load and latency for Socket.IO v4 servers"};
  app.require_subcommand(1);
  Options o;

  auto* echo = app.add_subcommand("echo", "N connections, each keeping --inflight \"echo\" events outstanding");
  add_common(*echo, o);
  echo->add_option("--inflight", o.inflight, "events in flight per connection")->capture_default_str();

  auto* rate = app.add_subcommand("rate", "open loop: --rate \"echo\" events per second over all connections");
  add_common(*rate, o);
  rate->add_option("--rate", o.rate, "events per second in total")->capture_default_str();

  auto* bcast = app.add_subcommand("bcast", "one connection emits \"bcast\", every connection receives it");
  add_common(*bcast, o);
  bcast->add_option("--inflight", o.inflight, "broadcasts in flight")->capture_default_str();

  auto* idle = app.add_subcommand("idle", "hold N connections; with --server-pid, server memory per connection");
  add_common(*idle, o);
  idle->add_option("--settle", o.settle, "seconds between the last join and the hold")->capture_default_str();

  auto* connect = app.add_subcommand("connect", "connection set-up rate (handshake to namespace joined)");
  add_common(*connect, o);

  auto* soak = app.add_subcommand(
      "soak", "--rate \"echo\" events per second with acks, --churn connections replaced per second; "
              "a sample line every --sample seconds (acks, their round trips, server RSS and fds)");
  add_common(*soak, o);
  soak->add_option("--rate", o.rate, "events per second in total, each asking for an ack")->capture_default_str();
  soak->add_option("--churn", o.churn, "connections closed and opened again per second")->capture_default_str();
  soak->add_option("--sample", o.sample, "seconds between sample lines")->capture_default_str();
  soak->add_option("--drain", o.drain, "seconds at the end without new events, for the last acks")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (echo->parsed()) o.scenario = ScenarioKind::echo;
  if (rate->parsed()) o.scenario = ScenarioKind::rate;
  if (bcast->parsed()) o.scenario = ScenarioKind::bcast;
  if (idle->parsed()) o.scenario = ScenarioKind::idle;
  if (connect->parsed()) o.scenario = ScenarioKind::connect;
  if (soak->parsed()) o.scenario = ScenarioKind::soak;
  if (soak->parsed() && (o.churn < 0 || o.sample <= 0 || o.drain < 0 || o.drain >= o.warmup + o.duration)) {
    std::fprintf(stderr, "--churn and --drain must not be negative, --sample must be positive, "
                         "--drain shorter than --warmup + --duration\n");
    return 2;
  }
  if (o.conns == 0 || o.rate <= 0 || o.duration <= 0 || o.connect_concurrency == 0) {
    std::fprintf(stderr, "--conns, --rate, --duration and --connect-concurrency must be positive\n");
    return 2;
  }

  const sio::bench::Results r = sio::bench::run(o);
  const std::string out = o.json ? sio::bench::json_report(r) : sio::bench::text_report(r);
  std::fputs(out.c_str(), stdout);
  if (!o.report.empty()) {
    std::ofstream f(o.report);
    f << sio::bench::html_report(r);
    if (!f) {
      std::fprintf(stderr, "cannot write %s\n", o.report.c_str());
      return 2;
    }
  }
  return sio::bench::exit_code(r);
}
