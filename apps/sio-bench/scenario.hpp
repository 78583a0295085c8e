// A load scenario: which connections to open and what to send. The base class
// is the connection pool every scenario shares: it opens the connections a
// bounded number at a time, counts joins and failures, and gives up on
// handshakes that take too long. The runner (runner.hpp) drives the phases:
// connect -> start() ... ready(); warm-up -> begin_load(); measure; end_load().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "conn.hpp"
#include "event_codec.hpp"
#include "link.hpp"
#include "options.hpp"
#include "stats.hpp"

namespace sio::bench {

// Everything a scenario works with.
struct Context {
  boost::asio::io_context& io;
  Target target;
  EventCodec codec;
  Options opts;
  Stats stats;
};

class Scenario : public Conn::Owner {
 public:
  explicit Scenario(Context& cx) : cx_(cx), conns_(cx.opts.conns), was_joined_(cx.opts.conns, 0) {}
  ~Scenario() override;

  // Starts opening the connections (all slots, by default).
  virtual void start() { fill(); }
  // The connections are all set up (joined or failed): the load may begin.
  virtual bool ready() const { return next_slot_ == conns_.size() && opening_ == 0; }
  // Warm-up begins: start sending.
  virtual void begin_load() = 0;
  // Measuring is over: stop sending.
  virtual void end_load() { running_ = false; }
  // Every 100 ms: gives up on slow handshakes; scenarios add their own work.
  virtual void tick(std::uint64_t now);
  // What one event is, for reports ("round trips", "deliveries", ...).
  virtual std::string_view unit() const = 0;
  // Extra numbers for the reports (name, value).
  virtual std::vector<std::pair<std::string, double>> extras() const { return {}; }

  void close_all();
  Context& context() noexcept { return cx_; }

 protected:
  // Hooks after the pool's bookkeeping.
  virtual void joined(Conn&) {}
  virtual void failed(Conn&) {}

  // Opens the connection of `slot` (a previous one there is closed, abortively
  // if asked, and kept until it has finished leaving).
  Conn& open(std::size_t slot, bool abortive_close = false);
  void fill();  // opens further slots while fewer than connect_concurrency are opening
  void on_joined(Conn& c) final;
  void on_failed(Conn& c, ErrorKind k, std::string_view detail) final;

  Context& cx_;
  std::vector<std::unique_ptr<Conn>> conns_;  // by slot
  std::vector<std::uint8_t> was_joined_;      // by slot: counted in stats.joined
  std::vector<std::unique_ptr<Conn>> leaving_;  // closed, finishing their goodbye
  std::size_t next_slot_ = 0;  // fill(): the next slot to open
  std::size_t opening_ = 0;    // connections between start and joined/failed
  bool running_ = false;       // sending (begin_load .. end_load)
  bool refill_ = true;         // fill() opens the next slots
};

std::unique_ptr<Scenario> make_scenario(Context& cx);

}  // namespace sio::bench
