// A Socket.IO server for one test: the official Node one
// (tests/interop/client/node_server.mjs) or ours (sio-client-test-server,
// which behaves the same). Its port, its reports (JSON lines), its stdin
// commands.
#pragma once

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "child_process.hpp"

namespace sio::test {

enum class ServerKind { node, ours };

inline std::string kind_name(ServerKind k) { return k == ServerKind::node ? "node" : "ours"; }

class TestServer {
 public:
  // `options` is node_server.mjs's JSON argument; "port" 0 picks a free one.
  explicit TestServer(ServerKind kind, boost::json::object options = {}) {
    if (!options.contains("port")) options["port"] = 0;
    std::vector<std::string> argv;
    if (kind == ServerKind::node) {
      argv = {SIO_NODE, SIO_SOURCE_DIR "/tests/interop/client/node_server.mjs"};
    } else {
      argv = {SIO_BIN_DIR "/sio-client-test-server"};
    }
    argv.push_back(boost::json::serialize(options));
    proc_ = std::make_unique<ChildProcess>(std::move(argv));
    const auto line = proc_->wait_for("\"listening\"", std::chrono::seconds(20));
    if (!line) throw std::runtime_error(kind_name(kind) + " server did not start");
    port_ = static_cast<int>(boost::json::parse(*line).at("port").to_number<int>());
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "", bool secure = false) const {
    return std::string(secure ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }

  // The next report whose fields include all of `fields` (a JSON object).
  std::optional<boost::json::object> wait(const boost::json::object& fields,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::optional<boost::json::object> found;
    proc_->wait_line([&](const std::string& l) {
      boost::system::error_code ec;
      auto v = boost::json::parse(l, ec);
      if (ec || !v.is_object()) return false;
      for (const auto& [k, want] : fields) {
        const auto* got = v.as_object().if_contains(k);
        if (!got || *got != want) return false;
      }
      found = v.as_object();
      return true;
    }, timeout);
    return found;
  }

  void command(const boost::json::object& cmd) { proc_->write_line(boost::json::serialize(cmd)); }
  void kill() {
    proc_->kill(SIGKILL);
    proc_->wait();
  }
  ChildProcess& process() { return *proc_; }

 private:
  std::unique_ptr<ChildProcess> proc_;
  int port_ = 0;
};

// The Node server (tests that need what only it offers).
struct NodeServer : TestServer {
  explicit NodeServer(boost::json::object options = {}) : TestServer(ServerKind::node, std::move(options)) {}
};

}  // namespace sio::test
