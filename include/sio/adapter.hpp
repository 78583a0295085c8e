// The adapter: how a namespace reaches its sockets, on this server's event
// loops (the in-memory adapter, the default) or across a cluster of servers
// (e.g. a Redis adapter, wire-compatible with Node's @socket.io/redis-adapter).
//
// These are the values an adapter carries, named as socket.io names them; the
// interface itself is internal (src/adapter/adapter.hpp), and a server takes
// an AdapterFactory to use another implementation.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include <sio/handshake.hpp>

namespace sio {

/// socket.io's BroadcastFlags.
struct BroadcastFlags {
  bool local = false;       ///< this server only, never forwarded to the cluster
  bool volatile_ = false;   ///< dropped for a client whose transport is not writable now
  bool compress = true;     ///< false: never HTTP-compressed over polling (permessage-deflate is not negotiated)
  std::optional<std::chrono::milliseconds> timeout;  ///< how long to wait for acknowledgements
  bool expect_single_response = false;  ///< an emit to one remote socket, answered like socket.emit
};

/// socket.io's BroadcastOptions: which sockets of a namespace an operation reaches.
struct BroadcastOptions {
  std::set<std::string> rooms;   ///< empty: every socket; else sockets in any of them (each once)
  std::set<std::string> except;  ///< sockets in any of these rooms are left out
  BroadcastFlags flags;          ///< how: local, volatile, ack timeout
};

/// A socket as fetch_sockets() describes it, wherever it lives.
struct SocketInfo {
  std::string id;                ///< the socket's id (sio::Socket::id())
  Handshake handshake;           ///< what the client sent when it joined the namespace
  std::set<std::string> rooms;   ///< the rooms it is in
  boost::json::value data;  ///< the socket's data() at the time of the fetch
};

namespace adapter {
class Adapter;
struct Context;
}  // namespace adapter

/// Makes the adapter of one namespace. Unset in ServerOptions: in memory.
using AdapterFactory = std::function<std::unique_ptr<adapter::Adapter>(const adapter::Context&)>;

}  // namespace sio
