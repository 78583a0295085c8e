// sio-emit: emits one event to the clients of a Socket.IO cluster through its
// Redis (sio::Emitter, the format of @socket.io/redis-emitter), then exits:
// 0 once Redis has taken it, 1 when Redis cannot be reached in time, 2 on a
// usage error.
//
//   sio-emit --redis redis://127.0.0.1:6379 --to lobby news '{"title":"hi"}' 42
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>

#include <sio/emitter.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Emits one event to the clients of a Socket.IO cluster through its Redis (as @socket.io/redis-emitter)"};
  std::string redis;
  bool cluster = false;
  std::string nsp = "/";
  std::vector<std::string> to, except;
  std::string key = "socket.io";
  int timeout_ms = 5000;
  std::string event;
  std::vector<std::string> json_args;
  app.add_option("--redis", redis, "redis://host:port (a comma-separated list of seed nodes with --cluster)")->required();
  app.add_flag("--cluster", cluster, "publish as the sharded adapter of a Redis Cluster expects (not supported yet)");
  app.add_option("--namespace", nsp, "the namespace")->capture_default_str();
  // One room per occurrence, so that the event and its arguments stay positional.
  app.add_option("--to", to, "only sockets in this room (repeat for several: sockets in any of them)")
      ->allow_extra_args(false);
  app.add_option("--except", except, "not sockets in this room (repeatable)")->allow_extra_args(false);
  app.add_option("--key", key, "channel prefix (the adapters' `key`)")->capture_default_str();
  app.add_option("--timeout-ms", timeout_ms, "how long to wait for Redis")->capture_default_str();
  app.add_option("event", event, "the event name")->required();
  app.add_option("args", json_args, "its arguments, each one JSON value");
  CLI11_PARSE(app, argc, argv);

  if (cluster) {
    std::cerr << "sio-emit: --cluster (Redis Cluster, sharded pub/sub) is not supported yet\n";
    return 2;
  }
  if (redis.find(',') != std::string::npos) {
    std::cerr << "sio-emit: several Redis URLs are seed nodes of a cluster (--cluster); give one without it\n";
    return 2;
  }
  sio::Args args;
  for (const auto& a : json_args) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(a, ec);
    if (ec) {
      std::cerr << "sio-emit: argument is not JSON: " << a << " (" << ec.message() << ")\n";
      return 2;
    }
    args.emplace_back(std::move(v));
  }
  try {
    sio::Emitter emitter({.url = redis, .key = key});
    sio::EmitterOperator op = emitter.of(nsp).to({});  // no room yet: every socket
    for (const auto& r : to) op = op.to(r);
    for (const auto& r : except) op = op.except(r);
    op.emit_args(event, std::move(args));
    std::string error;
    if (!emitter.flush(std::chrono::milliseconds(timeout_ms), &error)) {
      std::cerr << "sio-emit: " << error << "\n";
      return 1;
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "sio-emit: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
