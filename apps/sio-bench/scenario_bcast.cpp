// bcast: one connection (the first joined) emits "bcast"; the server sends it
// to every connection, the sender included. `inflight` broadcasts are kept
// outstanding: one is complete when every live connection has it, and then
// the next one leaves. Each delivery is one event, its latency measured from
// the emit. Every connection checks that broadcasts arrive in order.
#include <algorithm>
#include <bit>

#include "scenarios.hpp"

namespace sio::bench {

namespace {

class Bcast final : public Scenario {
 public:
  explicit Bcast(Context& cx)
      : Scenario(cx),
        ring_size_(std::bit_ceil(std::max<std::size_t>(cx.opts.inflight, 1))),
        slots_(ring_size_),
        next_expected_(cx.opts.conns, 0) {}

  std::string_view unit() const override { return "deliveries"; }

  void begin_load() override {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      if (conns_[i] && conns_[i]->joined()) {
        sender_ = conns_[i].get();
        break;
      }
    }
    if (!sender_) return;
    running_ = true;
    for (std::size_t i = 0; i < cx_.opts.inflight; ++i) send();
  }

  std::vector<std::pair<std::string, double>> extras() const override {
    return {{"broadcasts_completed", static_cast<double>(completed_)}};
  }

 protected:
  void on_event(Conn& c, const EventCodec::Incoming& ev) override {
    const std::uint64_t now = now_ns();
    if (ev.event != "bcast" || !ev.well_formed) {
      cx_.stats.errors.add(ErrorKind::protocol, "broadcast is not [\"bcast\",<seq>,\"<payload>\"]");
      return;
    }
    std::uint64_t& expected = next_expected_[c.slot()];
    if (ev.seq >= next_seq_ || ev.seq < expected) {
      cx_.stats.errors.add(ErrorKind::protocol, "broadcast repeated or unasked for");
      return;
    }
    if (ev.seq != expected) {
      cx_.stats.errors.add(ErrorKind::protocol, "broadcasts missed or out of order");
      for (std::uint64_t s = expected; s < ev.seq; ++s) delivered(s);  // given up: counted as failed
    }
    expected = ev.seq + 1;
    cx_.stats.record(now - slots_[ev.seq & (ring_size_ - 1)].sent_at);
    delivered(ev.seq);
  }

  void failed(Conn& c) override {
    // Its outstanding broadcasts will never reach it: stop waiting for them.
    if (!running_) return;
    if (&c == sender_) {
      running_ = false;
      return;
    }
    for (std::uint64_t s = next_expected_[c.slot()]; s < next_seq_; ++s) delivered(s);
  }

 private:
  struct Slot {
    std::uint64_t sent_at = 0;
    std::size_t remaining = 0;  // live connections still to receive it
  };

  void send() {
    Slot& s = slots_[next_seq_ & (ring_size_ - 1)];
    s.sent_at = now_ns();
    s.remaining = cx_.stats.joined;
    sender_->emit("bcast", next_seq_++);
  }

  void delivered(std::uint64_t seq) {
    Slot& s = slots_[seq & (ring_size_ - 1)];
    if (s.remaining == 0 || --s.remaining > 0) return;
    ++completed_;
    if (running_) send();
  }

  std::size_t ring_size_;
  std::vector<Slot> slots_;                  // the broadcasts in flight, by seq modulo ring_size_
  std::vector<std::uint64_t> next_expected_;  // by slot: the next broadcast it should see
  Conn* sender_ = nullptr;
  std::uint64_t next_seq_ = 0;
  std::uint64_t completed_ = 0;
};

}  // namespace

std::unique_ptr<Scenario> make_bcast(Context& cx) { return std::make_unique<Bcast>(cx); }

}  // namespace sio::bench
