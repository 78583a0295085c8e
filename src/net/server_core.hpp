// What every connection of an EngineServer shares: options, loops, the
// per-loop session registries, the acceptor of the layer above.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <sio/config.hpp>

#include "engine/admission.hpp"
#include "engine/connection.hpp"
#include "engine/inbound_budget.hpp"
#include "net/engine_server.hpp"
#include "net/loop.hpp"
#include "net/memory_trim.hpp"
#include "net/session_host.hpp"
#include "net/tls_context.hpp"

namespace sio::net {

struct ServerCore {
  EngineOptions opts;
  engine::Acceptor* acceptor = nullptr;
  HttpHandler http_handler;
  // Set when the port speaks TLS (EngineOptions::tls): each connection takes
  // the SSL_CTX current at its accept.
  std::unique_ptr<TlsContext> tls;
  // Inbound bytes held server-wide (EngineOptions::max_inbound_buffered),
  // one counter per loop. Before the loops: what they hold (connections,
  // sessions, pending handlers) may hold leases of it until destroyed.
  std::unique_ptr<engine::InboundBudget> budget;
  std::unique_ptr<MemoryTrimmer> trimmer;  // on loop 0, when the budget drains
  // Sessions by client address (EngineOptions::limits); before the
  // registries, which give their sessions' places back when destroyed.
  std::unique_ptr<engine::Admission> admission;
  std::vector<std::unique_ptr<AsioLoop>> loops;
  std::vector<std::unique_ptr<SessionRegistry>> registries;  // one per loop
  // Set by every loop when the server stops, read by all of them: atomic.
  std::atomic<bool> stopping{false};

  // A new unguessable sid whose first character names the owning loop.
  std::string new_sid(std::size_t loop_index) const;
  // The loop that owns `sid`, or -1 when the sid cannot be one of ours.
  int loop_of(std::string_view sid) const;
};

}  // namespace sio::net
