// idle: open the connections, join, and hold them; the only traffic is the
// server's heartbeat (answered). With --server-pid the runner reports the
// server's resident memory growth per connection: (RSS at the end of the hold
// - RSS before the first connection) / connections joined.
#include "scenarios.hpp"

namespace sio::bench {

namespace {

class Idle final : public Scenario {
 public:
  using Scenario::Scenario;
  std::string_view unit() const override { return "connections"; }
  void begin_load() override { running_ = true; }

 protected:
  void on_event(Conn&, const EventCodec::Incoming&) override {
    cx_.stats.errors.add(ErrorKind::protocol, "an event arrived on an idle connection");
  }
};

}  // namespace

std::unique_ptr<Scenario> make_idle(Context& cx) { return std::make_unique<Idle>(cx); }

}  // namespace sio::bench
