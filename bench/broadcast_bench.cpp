// A broadcast to 10,000 sockets in one process, without a network: the
// Socket.IO server layer (io::ServerCore, memory adapter) on one loop, each
// socket on a connection that only counts what it is given. Measures what a
// broadcast costs the server before any byte is written: encoding once,
// walking the room, queueing a shared buffer per recipient; allocations per
// broadcast (and per recipient) show whether "encode once, fan out" holds.
// The second argument (0/1) turns connection state recovery on: each
// broadcast then gets an offset and is kept (up to the store's cap).
#include <benchmark/benchmark.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "common/alloc_counter.hpp"
#include "engine/connection.hpp"
#include "engine/loop.hpp"
#include "io/namespace_core.hpp"
#include "io/server_core.hpp"

namespace {

using sio::bench::allocs;
using sio::bench::allocs_per_op;

// One thread, tasks run when drain() is called; no timers fire during a run.
class BenchLoop final : public sio::engine::Loop {
 public:
  void post(sio::engine::Task t) override { queue_.push_back(std::move(t)); }
  void dispatch(sio::engine::Task t) override { t(); }
  bool in_loop_thread() const override { return true; }
  TimerId start_timer(std::chrono::milliseconds, sio::engine::Task) override { return ++timers_; }
  void cancel_timer(TimerId) override {}
  std::size_t index() const override { return 0; }
  void drain() {
    while (!queue_.empty()) {
      auto t = std::move(queue_.front());
      queue_.pop_front();
      t();
    }
  }

 private:
  std::deque<sio::engine::Task> queue_;
  TimerId timers_ = 0;
};

// Keeps nothing: counts messages and bytes, as a transport that wrote them would.
class CountingConnection final : public sio::engine::Connection {
 public:
  CountingConnection(std::string sid, BenchLoop& loop) : sid_(std::move(sid)), loop_(loop) {}
  const std::string& id() const override { return sid_; }
  const sio::SharedRequest& request() const override { return req_; }
  std::string_view transport_name() const override { return "websocket"; }
  sio::engine::Loop& loop() override { return loop_; }
  void send(const sio::engine::OutMessage& m) override {
    ++messages;
    bytes += m.bytes.size();
  }
  bool writable() const override { return true; }
  void close() override { closed_ = true; }
  bool closed() const override { return closed_; }

  std::uint64_t messages = 0, bytes = 0;

 private:
  std::string sid_;
  BenchLoop& loop_;
  sio::SharedRequest req_ = std::make_shared<const sio::HttpRequest>();
  bool closed_ = false;
};

sio::io::Config config(bool recovery) {
  sio::io::Config c;
  c.recovery.enabled = recovery;
  return c;
}

struct Fixture {
  BenchLoop loop;
  sio::io::ServerCore core;
  std::vector<std::shared_ptr<CountingConnection>> conns;
  std::vector<std::unique_ptr<sio::engine::Listener>> listeners;

  explicit Fixture(std::size_t n, bool recovery = false) : core(config(recovery)) {
    core.set_loops({&loop});
    core.of("/");
    for (std::size_t i = 0; i < n; ++i) {
      auto c = std::make_shared<CountingConnection>("sid" + std::to_string(i), loop);
      listeners.push_back(core.on_open(c));
      listeners.back()->on_message("0", false);  // CONNECT to "/"
      conns.push_back(std::move(c));
    }
    loop.drain();
  }
  ~Fixture() {
    for (auto& l : listeners) l->on_close(sio::engine::CloseReason::transport_close, "transport close");
    loop.drain();
  }
  std::uint64_t delivered() const {
    std::uint64_t n = 0;
    for (const auto& c : conns) n += c->messages;
    return n;
  }
};

void BM_Broadcast(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  Fixture f(n, state.range(1) != 0);
  sio::Namespace& nsp = f.core.of("/").api();
  const std::string text(32, 'x');
  const std::uint64_t delivered_before = f.delivered();
  const auto before = allocs();
  for (auto _ : state) {
    nsp.emit("bcast", 1, text);
    f.loop.drain();
  }
  const double per_op = static_cast<double>(allocs() - before) / static_cast<double>(state.iterations());
  state.counters["allocs/op"] = per_op;
  state.counters["allocs/recipient"] = per_op / static_cast<double>(n);
  const auto got = f.delivered() - delivered_before;
  if (got != state.iterations() * n) state.SkipWithError("not every socket got every broadcast");
  state.SetItemsProcessed(static_cast<std::int64_t>(got));  // deliveries/s
}
BENCHMARK(BM_Broadcast)
    ->ArgsProduct({{100, 1000, 10000}, {0, 1}})
    ->ArgNames({"sockets", "recovery"})
    ->Unit(benchmark::kMicrosecond);

// One socket's echo (what socketio-echo does per event), for scale: an
// incoming EVENT decoded, the handler run, the reply encoded and queued.
void BM_EchoInProcess(benchmark::State& state) {
  Fixture f(1, state.range(0) != 0);
  // The handler re-emits to the sender, as socketio-echo does.
  f.core.of("/").api().on_connection([](sio::Socket& s) {
    s.on("echo", [&s](sio::Event& ev) { s.emit_args("echo", ev.args()); });
  });
  // A socket that connects after the handler exists.
  auto c = std::make_shared<CountingConnection>("echo-sid", f.loop);
  auto l = f.core.on_open(c);
  l->on_message("0", false);
  f.loop.drain();
  const std::string pkt = "2[\"echo\",1,\"abcdefghijklmnopqrstuvwxyz012345\"]";
  const auto before = allocs();
  for (auto _ : state) {
    l->on_message(pkt, false);
    f.loop.drain();
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
  if (c->messages < static_cast<std::uint64_t>(state.iterations())) state.SkipWithError("no echo");
  l->on_close(sio::engine::CloseReason::transport_close, "transport close");
  f.loop.drain();
}
BENCHMARK(BM_EchoInProcess)->Arg(0)->Arg(1)->ArgName("recovery");

}  // namespace
