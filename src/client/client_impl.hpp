// The insides of sio::Client and sio::ClientSocket: the loop, the manager, and
// the bridges between the loop-only core (Manager, NamespaceSocket) and the
// thread-safe public objects. Internal.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sio/client.hpp>

#include "client/manager.hpp"
#include "client/namespace_socket.hpp"
#include "net/client/client_loop.hpp"
#include "net/client/engine_link.hpp"
#include "wire/ack_slot.hpp"

namespace sio {

void report_handler_exception(const char* what, const char* message) noexcept;

// Runs a user handler; an exception must not unwind through the network code.
template <class F>
void call_user(const char* what, F&& f) noexcept {
  try {
    f();
  } catch (const std::exception& e) {
    report_handler_exception(what, e.what());
  } catch (...) {
    report_handler_exception(what, "unknown exception");
  }
}

struct ClientSocket::State final : client::SocketObserver, std::enable_shared_from_this<State> {
  Client::Impl* client = nullptr;
  ClientSocket* pub = nullptr;
  std::string nsp;
  client::NamespaceOptions opts;
  client::NamespaceSocket* core = nullptr;  // loop thread only; set when made on the loop

  // Mirrors of the core's state for other threads.
  std::atomic<bool> connected{false};
  std::atomic<bool> recovered{false};
  std::atomic<std::size_t> buffered{0};  // in the core's offline buffer
  std::atomic<std::size_t> in_flight{0}; // posted emits not yet handed to the core
  std::atomic<std::uint64_t> next_ack{0};
  mutable std::mutex mu;                 // guards what follows
  std::string id;
  std::map<std::string, std::vector<std::shared_ptr<ClientEventHandler>>> handlers;
  std::vector<std::shared_ptr<ClientEventHandler>> any_handlers;
  std::vector<std::shared_ptr<std::function<void()>>> connect_handlers;
  std::vector<std::shared_ptr<std::function<void(const ConnectError&)>>> connect_error_handlers;
  std::vector<std::shared_ptr<std::function<void(const std::string&)>>> disconnect_handlers;

  // Loop thread: hands an event to the core, keeping the mirrors right.
  std::error_code emit_now(client::OutgoingEvent&& ev);
  void send_ack(std::uint64_t id, Args args);

  // client::SocketObserver (loop thread)
  void on_connect() override;
  void on_connect_error(const std::string& message, const boost::json::value& data) override;
  void on_disconnect(const std::string& reason, const std::string& description) override;
  void on_event(const std::string& name, Args args, std::optional<std::uint64_t> ack_id) override;
};

// The client's sio::Ack slot: the answer is queued to the client's loop and
// sent there, if the namespace socket still exists.
struct ClientAckSlot final : detail::AckSlot {
  std::weak_ptr<ClientSocket::State> socket;
  std::uint64_t id = 0;

  void answer(std::shared_ptr<detail::AckSlot> self, Args args) override;
};

struct Client::Impl final : client::ManagerObserver {
  // Declared first, destroyed last: everything below uses the loop.
  net::client::ClientLoop loop;
  ClientOptions opts;
  std::string default_nsp = "/";
  std::unique_ptr<net::client::EngineConnector> connector;
  std::unique_ptr<client::Manager> manager;
  std::atomic<bool> closed{false};

  mutable std::mutex mu;  // guards what follows
  std::map<std::string, std::unique_ptr<ClientSocket>> sockets;
  std::string transport = "none";
  std::vector<std::function<void()>> open_handlers;
  std::vector<std::function<void(const std::string&)>> close_handlers;
  std::vector<std::function<void(const std::string&)>> error_handlers;
  std::vector<std::function<void(std::uint32_t)>> reconnect_attempt_handlers;
  std::vector<std::function<void(std::uint32_t)>> reconnect_handlers;
  std::vector<std::function<void(const std::string&)>> reconnect_error_handlers;
  std::vector<std::function<void()>> reconnect_failed_handlers;
  std::vector<std::function<void(const std::string&)>> upgrade_handlers;

  // Runs `t` on the loop: now when already there, else queued.
  void on_loop(std::function<void()> t);
  // Copies a handler list under the lock, then calls each outside it.
  template <class List, class... A>
  void fire(const char* what, const List& list, const A&... a) {
    List copy;
    {
      std::lock_guard lk(mu);
      copy = list;
    }
    for (auto& h : copy) call_user(what, [&] { h(a...); });
  }

  // client::ManagerObserver (loop thread)
  void on_open() override;
  void on_transport(std::string_view name) override;
  void on_upgrade(std::string_view name) override;
  void on_close(const std::string& reason, const std::string& description) override;
  void on_error(const std::string& message) override;
  void on_reconnect_attempt(std::uint32_t attempt) override;
  void on_reconnect(std::uint32_t attempts) override;
  void on_reconnect_error(const std::string& message) override;
  void on_reconnect_failed() override;
};

}  // namespace sio
