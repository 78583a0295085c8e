// The Socket.IO server as the engine sees it (an engine::Acceptor): every
// opened Engine.IO session becomes a Client. Also the registry of namespaces:
// declared ones, and dynamic ones created when a parent's matcher accepts a
// CONNECT's name. Knows nothing of sockets, ports or threads: the loops are
// given to it (net::EngineServer's, or fakes in tests).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <sio/server.hpp>

#include "engine/connection.hpp"
#include "engine/inbound_budget.hpp"

namespace sio::io {

class NamespaceCore;

struct Config {
  std::chrono::milliseconds connect_timeout{45000};  // 45 s: matches socket.io's connectTimeout
  std::size_t max_attachments = 10;                 // socket.io-parser's default
  std::size_t max_dynamic_namespaces = 10000;       // per parent (ServerOptions::max_dynamic_namespaces)
  AdapterFactory adapter;                           // unset: in memory
  // The server-wide budget that binary attachments awaiting the rest of
  // their packet are held against (the engine's, EngineOptions::max_inbound_buffered).
  // Null: not counted.
  engine::InboundBudget* inbound_budget = nullptr;
  ConnectionStateRecoveryOptions recovery;  // off: socket.io's default
  // The recovery store's clock; null: std::chrono::steady_clock (tests set it).
  std::function<std::chrono::steady_clock::time_point()> clock;
};

class ServerCore final : public engine::Acceptor {
 public:
  explicit ServerCore(Config cfg);
  ~ServerCore() override;

  // The loops connections live on; before any namespace is used. Creates "/".
  void set_loops(std::vector<engine::Loop*> loops);
  const std::vector<engine::Loop*>& loops() const { return loops_; }
  // The calling thread's loop, else the first: where callbacks of
  // asynchronous operations come back to.
  engine::Loop& home_loop() const;
  const Config& config() const { return cfg_; }
  // Before connections open (the engine's budget exists once the engine does).
  void set_inbound_budget(engine::InboundBudget* b) { cfg_.inbound_budget = b; }

  NamespaceCore& of(std::string_view name);
  NamespaceCore& add_parent(NamespaceMatcher matcher);
  // The namespace a CONNECT for `name` joins: a declared one, or a new child
  // of the first parent whose matcher accepts it; null when none.
  NamespaceCore* resolve(const std::string& name, const boost::json::object& auth);

  std::unique_ptr<engine::Listener> on_open(engine::ConnectionPtr conn) override;

 private:
  NamespaceCore& create_locked(const std::string& name, NamespaceCore* parent);

  Config cfg_;
  std::vector<engine::Loop*> loops_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<NamespaceCore>, std::less<>> nsps_;
  std::vector<std::unique_ptr<NamespaceCore>> parents_;
};

}  // namespace sio::io
