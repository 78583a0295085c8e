// A namespace (socket.io's lib/namespace.ts): its name, connection handlers,
// middlewares, the adapter that holds its rooms, and the ack id counter its
// sockets share (a broadcast with acks uses one id for every recipient, so
// ids must not collide within any socket). Parent namespaces (dynamic ones,
// matched by a predicate) have no adapter: their children hold the sockets
// and see the parent's handlers and middlewares, before their own.
//
// Thread-safe: handler lists are copied on write, read as snapshots.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sio/namespace.hpp>
#include <sio/server.hpp>

#include "adapter/adapter.hpp"
#include "io/middleware_chain.hpp"

namespace sio::io {

class ServerCore;

using ConnectionHandler = std::function<void(Socket&)>;
using ServerSideHandler = std::function<void(const Args&, const Ack&)>;

class NamespaceCore {
 public:
  // A namespace with the given adapter.
  NamespaceCore(ServerCore& server, std::string name, const AdapterFactory& factory, NamespaceCore* parent = nullptr);
  // A parent namespace: no sockets of its own.
  NamespaceCore(ServerCore& server, std::string name, NamespaceMatcher matcher);
  ~NamespaceCore();
  NamespaceCore(const NamespaceCore&) = delete;
  NamespaceCore& operator=(const NamespaceCore&) = delete;

  const std::string& name() const { return name_; }
  Namespace& api() { return api_; }
  ServerCore& server() const { return server_; }
  adapter::Adapter& adapter() const { return *adapter_; }
  // The adapter keeps sessions and packets (recovery on and implemented):
  // socket.emit() goes through it, and sessions are persisted and restored.
  bool recovers() const { return recovers_; }
  std::uint64_t next_ack_id() { return next_ack_id_.fetch_add(1, std::memory_order_relaxed); }

  void add_connection_handler(ConnectionHandler fn);
  void add_middleware(Middleware<Socket> fn);
  void add_server_side_handler(std::string event, ServerSideHandler fn);
  // Snapshots, the parent's first.
  std::shared_ptr<const std::vector<ConnectionHandler>> connection_handlers() const;
  Middlewares<Socket> middlewares() const;

  // ---- dynamic namespaces ----
  bool is_parent() const { return static_cast<bool>(matcher_); }
  bool matches(const std::string& name, const boost::json::object& auth) const { return matcher_(name, auth); }
  void add_child(NamespaceCore& child);
  std::vector<NamespaceCore*> children() const;
  std::size_t child_count() const;

 private:
  struct Handlers {
    std::vector<ConnectionHandler> connection;
    std::vector<Middleware<Socket>> middlewares;
    std::map<std::string, std::vector<ServerSideHandler>> server_side;
  };
  std::shared_ptr<const Handlers> snapshot() const;
  void on_server_side_emit(const std::string& event, const Args& args, adapter::AckFn ack);

  ServerCore& server_;
  std::string name_;
  NamespaceCore* parent_;
  NamespaceMatcher matcher_;
  std::unique_ptr<adapter::Adapter> adapter_;
  Namespace api_;
  std::atomic<std::uint64_t> next_ack_id_{0};
  bool recovers_ = false;

  mutable std::mutex mu_;
  std::shared_ptr<const Handlers> handlers_;  // replaced, never changed in place
  std::vector<NamespaceCore*> children_;
};

}  // namespace sio::io
