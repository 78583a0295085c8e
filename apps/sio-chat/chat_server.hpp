// The chat on a sio::Server: registers the protocol's handlers on the main
// namespace and carries out what ChatState decides. The server runs several
// event loops, so one (recursive) mutex serialises the chat state: emits are
// made under it, and a disconnect requested under it may run its handler at
// once on this thread. Emits under the mutex are not a global order, though:
// a broadcast made on another loop is posted to the client's loop, and an
// emit or ack made later on the client's own loop can reach it first, so two
// messages sent at nearly the same moment may show in different orders on two
// pages (they append by arrival; ids and times stay right). --threads 1 orders
// everything.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include <sio/server.hpp>

#include "chat_state.hpp"
#include "log.hpp"

namespace chat {

class ChatServer {
 public:
  ChatServer(sio::Server& io, ChatConfig config, Log log);

  // Tells every client the server is going away, and calls `done` once they
  // have all acknowledged it or kShutdownAckWait has passed (on some loop
  // thread). Server::stop() comes next: it closes the connections without a
  // Socket.IO disconnect, so the clients reconnect.
  void announce_shutdown(std::function<void()> done);
  static constexpr std::chrono::milliseconds kShutdownAckWait{1000};

 private:
  void accept(sio::Socket& socket);
  void admit(sio::Socket& socket, sio::Event& ev, sio::Next next);
  // Runs one request under the lock, carries out its outcome, answers it.
  template <class Request>
  void handle(sio::Socket& socket, sio::Event& ev, Request request);
  // Caller holds mutex_. Room changes of `actor`, then emits, then disconnects.
  void apply(sio::Socket* actor, Outcome& out);

  sio::Server& io_;
  Log log_;
  std::recursive_mutex mutex_;
  ChatState state_;
  std::unordered_map<std::string, sio::Socket*> sockets_;  // valid until their disconnect handler
};

}  // namespace chat
