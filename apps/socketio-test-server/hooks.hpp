// The interop tests' remote control: events a client emits to make the server
// act (join rooms, broadcast, fetch sockets, ask the client for an ack,
// disconnect...), answered through the event's acknowledgement.
#pragma once

#include <sio/server.hpp>

namespace sio::apps {

// Installs the hooks on every socket of `nsp`.
void install_hooks(Server& io, Namespace& nsp);

}  // namespace sio::apps
