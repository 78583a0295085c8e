// sio-game-bots: C++ client bots (sio::Client) that fill sio-game rooms. Each
// bot heads for the nearest coin, and pings the server once a second. Every
// few seconds it prints what the bots got: snapshots per second each (the tick
// rate when the server keeps up), inputs sent and round-trip times. With many
// bots this is the load driver of the README's figure.
//
//   build/bin/sio-game-bots --count 5                      # 5 bots in "arena"
//   build/bin/sio-game-bots --count 320 --per-room 16 --room bench --seconds 30
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "../common/signals.hpp"
#include "bot.hpp"

namespace {

struct Options {
  std::string url = "http://127.0.0.1:3001";
  std::string room = "arena";
  std::size_t count = 5;
  std::size_t per_room = 0;   // 0: every bot in --room; else rooms <room>-1, <room>-2, ... of this many
  std::string name = "bot";
  double seconds = 0;         // 0: until Ctrl-C
  double report_every = 5;    // seconds between report lines
  double input_rate = 10;     // most inputs per second per bot
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sio-game-bots: C++ client bots that join sio-game rooms and play"};
  Options o;
  app.add_option("--url", o.url, "the sio-game server")->capture_default_str();
  app.add_option("--room", o.room, "room to join (made if missing)")->capture_default_str();
  app.add_option("--count", o.count, "bots")->capture_default_str()->check(CLI::Range(1, 5000));
  app.add_option("--per-room", o.per_room, "bots per room (0: all in --room; else rooms ROOM-1, ROOM-2, ...)")
      ->capture_default_str();
  app.add_option("--name", o.name, "name prefix (bots are NAME1, NAME2, ...)")->capture_default_str();
  app.add_option("--seconds", o.seconds, "run this long, then report and exit (0: until Ctrl-C)")->capture_default_str();
  app.add_option("--report-every", o.report_every, "seconds between report lines")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 3600.0));
  app.add_option("--input-rate", o.input_rate, "most inputs per second per bot")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 30.0));
  CLI11_PARSE(app, argc, argv);

  std::atomic<bool> stop{false};
  sio::apps::stop_on_signals([&] { stop = true; });

  std::vector<std::unique_ptr<bots::Bot>> all;
  for (std::size_t i = 0; i < o.count; ++i) {
    bots::BotConfig c;
    c.url = o.url;
    c.room = o.per_room ? o.room + "-" + std::to_string(i / o.per_room + 1) : o.room;
    c.name = o.name + std::to_string(i + 1);
    c.max_inputs_per_second = o.input_rate;
    all.push_back(std::make_unique<bots::Bot>(std::move(c)));
  }
  std::printf("sio-game-bots: %zu bots started against %s\n", o.count, o.url.c_str());
  std::fflush(stdout);

  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  Clock::time_point report_from = start;
  std::vector<std::uint64_t> snaps_from(all.size(), 0);
  std::uint64_t inputs_from = 0;
  std::vector<double> rtts;
  bool announced = false;
  // The program's own clock: a ping per bot each second, a report line every
  // --report-every seconds.
  while (!stop) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    for (auto& b : all) b->ping();
    for (auto& b : all) {
      auto r = b->take_rtts();
      rtts.insert(rtts.end(), r.begin(), r.end());
    }
    std::size_t joined = 0;
    for (auto& b : all) joined += b->joined() ? 1 : 0;
    if (joined == all.size() && !announced) {
      std::printf("sio-game-bots: all %zu bots joined\n", joined);
      std::fflush(stdout);
      announced = true;
    }
    const Clock::time_point now = Clock::now();
    const double wall = std::chrono::duration<double>(now - report_from).count();
    const bool done = o.seconds > 0 && now - start >= std::chrono::duration<double>(o.seconds);
    if (wall >= o.report_every || done) {
      std::vector<double> rates;
      std::uint64_t inputs = 0;
      for (std::size_t i = 0; i < all.size(); ++i) {
        const std::uint64_t s = all[i]->snapshots();
        rates.push_back(static_cast<double>(s - snaps_from[i]) / wall);
        snaps_from[i] = s;
        inputs += all[i]->inputs();
      }
      double sum = 0;
      for (double r : rates) sum += r;
      const double mean = sum / static_cast<double>(rates.size());
      const double p10 = percentile(rates, 0.10);
      std::printf("[bots] joined %zu/%zu | snapshots/s per bot: mean %.1f, p10 %.1f | inputs/s %.0f | rtt ms: "
                  "median %.1f, p99 %.1f (%zu pings)\n",
                  joined, all.size(), mean, p10, static_cast<double>(inputs - inputs_from) / wall,
                  percentile(rtts, 0.5), percentile(rtts, 0.99), rtts.size());
      std::fflush(stdout);
      inputs_from = inputs;
      rtts.clear();
      report_from = now;
    }
    if (done) break;
  }
  all.clear();  // closes every client
  return 0;
}
