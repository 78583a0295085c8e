// The client's connection manager (socket.io-client's Manager): one Engine.IO
// connection shared by every namespace socket, reconnection with backoff, the
// connect timeout, and the Socket.IO packet decoder. It sees the network only
// through net::client::EngineConnector, and time only through engine::Loop,
// so tests drive it with fakes.
//
// Reconnection, as in socket.io-client: when an open connection drops (not by
// close()), or the first open fails, wait backoff.next() and try again, until
// `reconnection_attempts` attempts failed in a row (then reconnect_failed).
// Loop thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "client/backoff.hpp"
#include "client/namespace_socket.hpp"
#include "engine/loop.hpp"
#include "net/client/engine_link.hpp"
#include "wire/sio_packet.hpp"

namespace sio::client {

struct ManagerOptions {
  bool reconnection = true;  // on: socket.io-client's default
  std::uint32_t reconnection_attempts = std::numeric_limits<std::uint32_t>::max();  // unlimited
  Backoff::Params backoff;   // 1 s doubling to 5 s, randomisation 0.5
  std::chrono::milliseconds timeout{20000};  // connect timeout: socket.io-client's `timeout`
};

// Manager-level events (socket.io-client's `socket.io.on(...)`).
class ManagerObserver {
 public:
  virtual ~ManagerObserver() = default;
  virtual void on_open() {}
  virtual void on_transport(std::string_view name) {}  // opened over, or upgraded to, `name`
  virtual void on_upgrade(std::string_view name) {}
  virtual void on_close(const std::string& reason, const std::string& description) {}
  virtual void on_error(const std::string& message) {}
  virtual void on_reconnect_attempt(std::uint32_t attempt) {}
  virtual void on_reconnect(std::uint32_t attempts) {}
  virtual void on_reconnect_error(const std::string& message) {}
  virtual void on_reconnect_failed() {}
};

class Manager final : public net::client::EngineListener {
 public:
  enum class State { closed, opening, open };

  Manager(engine::Loop& loop, net::client::EngineConnector& connector, ManagerOptions opts,
          Backoff::Random random = {});
  ~Manager() override;
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  void set_observer(ManagerObserver* o) noexcept { observer_ = o; }
  ManagerOptions& options() noexcept { return opts_; }

  // The socket for `nsp`, made on first use (it does not connect by itself).
  NamespaceSocket& socket(const std::string& nsp, const NamespaceOptions& opts);
  NamespaceSocket* find(const std::string& nsp);

  // Opens the connection unless it is open or opening.
  void open();
  // Closes for good ("forced close"): no reconnection until open() again.
  // `on_finished` runs on the loop once the connection's goodbye is written.
  void close(std::function<void()> on_finished = {});
  // Closes the open connection as a lost one ("forced close", as
  // socket.io-client's engine.close()): sockets hear it, and reconnection
  // follows as after any loss.
  void drop_connection();

  // The client's end: every socket leaves for good (pending acks fail with
  // `ec`), then close(on_finished).
  void shutdown(std::error_code ec, std::function<void()> on_finished);

  State state() const noexcept { return state_; }
  bool reconnecting() const noexcept { return reconnecting_; }
  std::string_view transport_name() const;

  // --- for namespace sockets ---
  void write(const wire::socketio::Encoded& e);
  bool writable() const;
  // A socket stopped wanting the connection; when none wants it, it closes.
  void socket_inactive();

  // --- net::client::EngineListener ---
  void on_open(const engine::client::Handshake& hs) override;
  void on_message(std::string_view data, bool binary) override;
  void on_close(engine::CloseReason reason, std::string_view description) override;
  void on_upgrade(engine::client::TransportKind to) override;

 private:
  void open_link(bool reconnect_attempt);
  void on_open_failed(const std::string& message);
  void on_connection_closed(const std::string& reason, const std::string& description);
  void reconnect();
  void cancel_timers();
  void drop_link();

  engine::Loop& loop_;
  net::client::EngineConnector& connector_;
  ManagerOptions opts_;
  Backoff backoff_;
  ManagerObserver* observer_ = nullptr;
  std::map<std::string, std::unique_ptr<NamespaceSocket>> sockets_;
  std::unique_ptr<net::client::EngineLink> link_;
  wire::socketio::Decoder decoder_;
  State state_ = State::closed;
  bool reconnecting_ = false;
  bool attempt_in_flight_ = false;  // the opening link is a reconnection attempt
  bool skip_reconnect_ = false;     // set by close()
  bool shutting_down_ = false;      // sockets leaving must not close us half-way
  engine::Loop::TimerId connect_timer_ = 0;
  engine::Loop::TimerId reconnect_timer_ = 0;
};

}  // namespace sio::client
