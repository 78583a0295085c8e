// What a run is asked to do: the command line, parsed (cli.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine_client.hpp"

namespace sio::bench {

enum class ScenarioKind : std::uint8_t { echo, rate, bcast, idle, connect, soak };

struct Options {
  ScenarioKind scenario = ScenarioKind::echo;
  std::string url = "http://127.0.0.1:3000";  // the path part, if any, is the namespace
  std::string path = "/socket.io/";          // Engine.IO path: socket.io's default
  Transport transport = Transport::websocket;
  std::size_t conns = 100;           // connections (connect: connections being set up at once)
  std::size_t inflight = 1;          // echo: events in flight per connection; bcast: broadcasts in flight
  double rate = 5000;                // rate: events per second, all connections together
  std::size_t payload = 32;          // bytes of the string argument of each event
  double duration = 10;              // seconds measured
  double warmup = 1;                 // seconds of load before measuring
  std::size_t connect_concurrency = 200;  // connections being opened at once
  double handshake_timeout = 10;     // seconds from TCP connect to namespace joined
  double settle = 2;                 // idle: seconds between the last join and the hold
  int server_pid = 0;                // sample this process's CPU and RSS (0: none)
  bool json = false;                 // print JSON instead of the text summary
  std::string report;                // write a self-contained HTML report here
  bool progress = true;              // live progress line (only on a terminal)
  double churn = 50;                 // soak: connections closed and opened again per second
  double sample = 10;                // soak: seconds between two sample lines
  double drain = 5;                  // soak: seconds at the end with no new event, for the last acks
};

std::string_view name_of(ScenarioKind k) noexcept;
std::string_view name_of(Transport t) noexcept;

}  // namespace sio::bench
