// A Socket.IO server layer on two fake loops, with helpers to connect peers.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <sio/server.hpp>

#include "io/fake_peer.hpp"
#include "io/namespace_core.hpp"
#include "io/server_core.hpp"

namespace sio::test {

struct IoTest : ::testing::Test {
  FakeLoop l0{0}, l1{1};
  io::ServerCore core{make_config()};

  IoTest() { core.set_loops({&l0, &l1}); }

  static io::Config make_config() {
    io::Config c;
    c.connect_timeout = std::chrono::milliseconds(1000);
    return c;
  }
  Namespace& of(std::string_view name) { return core.of(name).api(); }
  void run() { run_all({&l0, &l1}); }

  // Connects `p` to `nsp` (auth: a JSON object text or ""); returns the sid
  // from the server's CONNECT, or "" when refused. Consumes what was sent.
  static std::string connect(Peer& p, std::string_view nsp = "/", std::string_view auth = "") {
    std::string pkt = "0";
    if (nsp != "/") pkt += std::string(nsp) + ",";
    pkt += auth;
    p.send(pkt);
    auto out = p.take();
    const std::string prefix = nsp == "/" ? "0" : "0" + std::string(nsp) + ",";
    if (out.empty() || out[0].rfind(prefix, 0) != 0) return "";
    return std::string(boost::json::parse(out[0].substr(prefix.size())).at("sid").as_string());
  }
};

}  // namespace sio::test
