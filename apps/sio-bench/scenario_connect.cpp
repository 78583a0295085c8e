// connect: `conns` connections are being set up at any moment. Each one goes
// from TCP connect through the Engine.IO handshake (and the upgrade, in
// upgrade mode) to its namespace CONNECT answer; that span is its latency.
// Then it leaves the way a client does (polling: a close packet; WebSocket:
// the TCP connection closes) and a new one takes its place. Its TCP
// connections end with a reset: thousands of client-side TIME_WAITs a second
// would make the tool's connect() hunt for free ports (it did: 40 % of its
// time), and the servers see a reset instead of a FIN, both alike. A failed one is
// replaced at the next tick, so a refusing server is not hammered in a loop.
#include "scenarios.hpp"

namespace sio::bench {

namespace {

class Connect final : public Scenario {
 public:
  using Scenario::Scenario;
  std::string_view unit() const override { return "connections"; }

  void start() override { next_slot_ = conns_.size(); }  // nothing held open before the load
  bool ready() const override { return true; }

  void begin_load() override {
    running_ = true;
    for (std::size_t i = 0; i < conns_.size(); ++i) open(i);
  }

  void end_load() override {
    running_ = false;
    retry_.clear();
  }

  void tick(std::uint64_t now) override {
    Scenario::tick(now);
    if (!running_) return;
    for (std::size_t slot : retry_) open(slot, true);
    retry_.clear();
  }

 protected:
  void joined(Conn& c) override {
    cx_.stats.record(now_ns() - c.started_ns());
    if (running_) open(c.slot(), true);  // closes c: it leaves while the next one starts
    else c.close(true);
  }

  void failed(Conn& c) override {
    if (running_) retry_.push_back(c.slot());
  }

  void on_event(Conn&, const EventCodec::Incoming&) override {
    cx_.stats.errors.add(ErrorKind::protocol, "an event arrived on a connection being set up");
  }

 private:
  std::vector<std::size_t> retry_;
};

}  // namespace

std::unique_ptr<Scenario> make_connect(Context& cx) { return std::make_unique<Connect>(cx); }

}  // namespace sio::bench
