// echo: every connection keeps `inflight` "echo" events outstanding; each
// answer is checked (same sequence number, same payload, in order) and its
// round trip recorded, and the next event goes out at once. A closed loop:
// the server's speed sets the pace.
#include <algorithm>
#include <bit>

#include "scenarios.hpp"

namespace sio::bench {

namespace {

class Echo final : public Scenario {
 public:
  explicit Echo(Context& cx)
      : Scenario(cx),
        ring_size_(std::bit_ceil(std::max<std::size_t>(cx.opts.inflight, 1))),
        flows_(cx.opts.conns) {}

  std::string_view unit() const override { return "round trips"; }

  void begin_load() override {
    running_ = true;
    for (auto& c : conns_)
      if (c && c->joined())
        for (std::size_t i = 0; i < cx_.opts.inflight; ++i) send(*c);
  }

 protected:
  void joined(Conn& c) override {
    flows_[c.slot()] = Flow{};
    flows_[c.slot()].sent_at.assign(ring_size_, 0);
  }

  void on_event(Conn& c, const EventCodec::Incoming& ev) override {
    const std::uint64_t now = now_ns();
    Flow& f = flows_[c.slot()];
    if (ev.event != "echo" || !ev.well_formed) {
      cx_.stats.errors.add(ErrorKind::protocol, "echo answer is not [\"echo\",<seq>,\"<payload>\"]");
      return;
    }
    if (ev.seq != f.next_recv || f.next_recv == f.next_send) {
      cx_.stats.errors.add(ErrorKind::protocol, "echo answers out of order or unasked for");
      if (ev.seq < f.next_recv || ev.seq >= f.next_send) return;
      f.next_recv = ev.seq;  // resynchronise: the ones skipped are lost
    }
    cx_.stats.record(now - f.sent_at[ev.seq & (ring_size_ - 1)]);
    ++f.next_recv;
    if (running_) send(c);
  }

 private:
  struct Flow {
    std::uint64_t next_send = 0, next_recv = 0;
    std::vector<std::uint64_t> sent_at;  // by seq modulo ring_size_
  };

  void send(Conn& c) {
    Flow& f = flows_[c.slot()];
    f.sent_at[f.next_send & (ring_size_ - 1)] = now_ns();
    c.emit("echo", f.next_send++);
  }

  std::size_t ring_size_;
  std::vector<Flow> flows_;
};

}  // namespace

std::unique_ptr<Scenario> make_echo(Context& cx) { return std::make_unique<Echo>(cx); }

}  // namespace sio::bench
