// The scenarios, one file each.
#pragma once

#include <memory>

#include "scenario.hpp"

namespace sio::bench {

std::unique_ptr<Scenario> make_echo(Context& cx);     // closed loop, K in flight per connection
std::unique_ptr<Scenario> make_rate(Context& cx);     // open loop at R events/s
std::unique_ptr<Scenario> make_bcast(Context& cx);    // one sender, everyone receives
std::unique_ptr<Scenario> make_idle(Context& cx);     // hold connections, measure memory
std::unique_ptr<Scenario> make_connect(Context& cx);  // connection set-up rate
std::unique_ptr<Scenario> make_soak(Context& cx);     // churn and acked traffic, sampled over time

}  // namespace sio::bench
