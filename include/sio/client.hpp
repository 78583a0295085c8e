// The C++ Socket.IO client: one connection (Engine.IO over polling and/or
// WebSocket, http/https, ws/wss) shared by every namespace, reconnecting by
// itself, with socket.io-client's behaviour and defaults.
//
//   sio::Client client("http://localhost:3000", {.auth = {{"token", "abc"}}});
//   auto& chat = client.socket("/chat");
//   chat.on("message", [](sio::ClientEvent& ev) { std::cout << ev.arg(0).json() << "\n"; });
//   chat.emit_with_ack("hello", {"world"}, 5s, [](sio::AckResult r) { ... });
//   chat.emit("hi", 1, sio::Binary{1, 2}, [](std::error_code ec, sio::Args reply) { ... });
//   client.run();   // or client.run_in_background(), or client.poll() from your own loop
//
// Events carry the same payload types as the server (sio::Payload, sio::Args,
// sio::Binary; see <sio/payload.hpp>), and emit() takes its arguments the
// same way (<sio/emit.hpp>).
//
// Threading. The client owns one event loop. Handlers always run on it. emit(),
// socket(), on...(), connect(), disconnect() and close() may be called from
// any thread (calls from other threads are queued to the loop, in order).
// Running the loop, three ways, since no Asio type appears in public headers:
//  - run(): on the calling thread, until close();
//  - run_in_background(): on a thread the client owns (joined by close() or
//    the destructor);
//  - poll(): runs what is ready and returns, to drive the client from a loop
//    of your own (call it often, e.g. every few milliseconds).
// Closing from a handler, closing twice, and destroying the client while it
// reconnects are safe. Destroying the client from one of its own handlers is not.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/value.hpp>

#include <sio/client_options.hpp>
#include <sio/ack.hpp>
#include <sio/emit.hpp>
#include <sio/error.hpp>
#include <sio/event.hpp>
#include <sio/payload.hpp>

namespace sio {

class Client;
class ClientSocket;

/// The outcome of emit_with_ack(): the server's answer, or why there is none
/// (errc::sio_ack_timeout, errc::sio_not_connected, errc::sio_buffer_full,
/// errc::closed).
struct AckResult {
  std::error_code error;   ///< why there is no answer (empty: there is one)
  Args args;               ///< the answer's arguments
  explicit operator bool() const noexcept { return !error; }  ///< an answer came
};

/// Why a namespace could not be joined: the server's middleware error
/// (message and data), or the connection's failure (message only).
struct ConnectError {
  std::string message;      ///< the server's message, or the connection's failure
  boost::json::value data;  ///< null when the server sent none
};

/// Answers one event of the server (sio::Ack, the same type as on a server).
using ClientAck [[deprecated("use sio::Ack: the client and the server share one type")]] = Ack;

/// A handler of the server's events (ClientSocket::on(), on_any()).
using ClientEventHandler = std::function<void(ClientEvent&)>;

/// Emits with flags: socket.timeout(5s).emit(...), socket.volatile_().emit(...).
class ClientEmitter {
 public:
  /// Dropped unless the transport can write it at once (never buffered).
  ClientEmitter volatile_() const;
  /// The ack callback gets errc::sio_ack_timeout after `t` without an answer.
  ClientEmitter timeout(std::chrono::milliseconds t) const;

  /// emit(event, args..., [callback(std::error_code, sio::Args)]). Returns
  /// errc::sio_buffer_full when the event would have to wait offline and the
  /// buffer is full (the callback is then never called).
  template <class... A>
  std::error_code emit(std::string_view event, A&&... a) const {
    AckCallback cb;
    Args args = detail::collect<Args>(cb, std::forward<A>(a)...);
    return emit_args(event, std::move(args), std::move(cb));
  }
  /// emit() with the arguments as a list (and the callback apart).
  std::error_code emit_args(std::string_view event, Args args, AckCallback cb = {}) const;

 private:
  friend class ClientSocket;
  explicit ClientEmitter(ClientSocket& s) : socket_(&s) {}
  ClientSocket* socket_;
  bool volatile_flag_ = false;
  std::optional<std::chrono::milliseconds> timeout_;
};

/// One namespace of the connection (socket.io-client's Socket). Made by
/// Client::socket(); lives as long as the client.
class ClientSocket {
 public:
  ~ClientSocket();
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;

  const std::string& nsp() const noexcept;  ///< the namespace's name ("/chat")
  std::string id() const;      ///< the server's id for this socket; empty unless connected
  bool connected() const noexcept;          ///< joined and not disconnected
  /// The last join brought back the server's session (connection state
  /// recovery): same id and rooms, and the events missed meanwhile were
  /// received before on_connect's handlers ran (socket.io-client's recovered).
  bool recovered() const noexcept;
  Client& client() const noexcept;          ///< the client it belongs to

  // ---- handlers (run on the client's loop) ----
  ClientSocket& on(std::string event, ClientEventHandler h);  ///< several per event are fine
  ClientSocket& off(const std::string& event);                ///< removes them all
  ClientSocket& on_any(ClientEventHandler h);                 ///< every event, before on()'s
  ClientSocket& on_connect(std::function<void()> h);  ///< joined (again, after a reconnection)
  /// The namespace refused us (a middleware's error), or the connection failed.
  ClientSocket& on_connect_error(std::function<void(const ConnectError&)> h);
  /// reason: "io server disconnect", "io client disconnect", "transport close",
  /// "transport error", "ping timeout", "parse error", "forced close".
  ClientSocket& on_disconnect(std::function<void(const std::string& reason)> h);

  // ---- emitting (any thread) ----
  /// emit(event, args..., [callback(std::error_code, sio::Args)]): sent now,
  /// or buffered while offline and sent on (re)connection. Returns
  /// errc::sio_buffer_full when the buffer is full (the callback is then
  /// never called).
  template <class... A>
  std::error_code emit(std::string_view event, A&&... a) {
    return ClientEmitter(*this).emit(event, std::forward<A>(a)...);
  }
  /// emit() with the arguments as a list (and the callback apart).
  std::error_code emit_args(std::string_view event, Args args, AckCallback cb = {}) {
    return ClientEmitter(*this).emit_args(event, std::move(args), std::move(cb));
  }
  /// The server's acknowledgement, or an error after `timeout`.
  std::error_code emit_with_ack(std::string_view event, Args args, std::chrono::milliseconds timeout,
                                std::function<void(AckResult)> cb);
  /// Dropped unless the transport can write it at once (never buffered).
  ClientEmitter volatile_() { return ClientEmitter(*this).volatile_(); }
  /// The ack callback gets errc::sio_ack_timeout after `t` without an answer.
  ClientEmitter timeout(std::chrono::milliseconds t) { return ClientEmitter(*this).timeout(t); }

  /// Joins the namespace again after disconnect() or a refusal.
  void connect();
  /// Leaves the namespace; the last one to leave closes the connection.
  void disconnect();

  struct State;  ///< internal

 private:
  friend class Client;
  friend class ClientEmitter;
  explicit ClientSocket(std::shared_ptr<State> s);
  std::error_code emit_impl(std::string_view event, Args args, AckCallback cb, bool is_volatile,
                            std::optional<std::chrono::milliseconds> timeout);
  std::shared_ptr<State> state_;
};

/// The C++ Socket.IO client (socket.io-client's Manager and io()): one
/// connection shared by every namespace, reconnecting by itself.
///
/// It owns one event loop, where handlers run; emit(), socket(), the on...()
/// setters, connect(), disconnect() and close() may be called from any
/// thread. Run the loop with run(), run_in_background() or poll().
class Client {
 public:
  /// `url`: http(s)://host[:port][/namespace][?query], ws:// and wss:// too.
  /// Throws std::invalid_argument for a URL it cannot use, std::system_error
  /// for TLS options it cannot use (an unreadable CA file). Connects when the
  /// first socket is asked for.
  explicit Client(std::string url, ClientOptions opts = {});
  ~Client();  ///< close(), then waits for the loop's own thread, if any
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// The socket of `nsp` (empty: the URL's namespace, "/" by default), made
  /// and connected on first use. Any thread.
  ClientSocket& socket(const std::string& nsp = {}, ClientSocketOptions opts = {});

  // ---- connection events (socket.io-client's `socket.io.on(...)`) ----
  Client& on_open(std::function<void()> h);  ///< the connection opened
  /// The connection closed ("transport close", "ping timeout", "forced close", ...).
  Client& on_close(std::function<void(const std::string& reason)> h);
  /// The connection failed to open.
  Client& on_error(std::function<void(const std::string& message)> h);
  /// A reconnection attempt starts (1, 2, ...).
  Client& on_reconnect_attempt(std::function<void(std::uint32_t attempt)> h);
  /// Reconnected, after this many attempts.
  Client& on_reconnect(std::function<void(std::uint32_t attempts)> h);
  /// A reconnection attempt failed.
  Client& on_reconnect_error(std::function<void(const std::string& message)> h);
  /// No attempt left (ClientOptions::reconnection_attempts).
  Client& on_reconnect_failed(std::function<void()> h);
  /// The connection moved to a better transport ("websocket", after polling).
  Client& on_upgrade(std::function<void(const std::string& transport)> h);

  /// "polling", "websocket", or "none" while not connected.
  std::string transport() const;

  // ---- the loop ----
  /// Runs the loop on the calling thread until close().
  void run();
  /// Runs the loop on a thread the client owns (joined by close() or the
  /// destructor).
  void run_in_background();
  /// Runs what is ready and returns how many handlers ran: to drive the
  /// client from a loop of your own (call it often).
  std::size_t poll();
  /// Runs `task` on the client's loop.
  void post(std::function<void()> task);
  /// Leaves every namespace, closes the connection (what is queued is still
  /// written, for up to a short grace period), stops reconnecting, and makes
  /// run() return. Pending acks fail with errc::closed. Any thread; idempotent.
  void close();
  /// Closes the connection as if it were lost (socket.io-client's
  /// `socket.io.engine.close()`): the sockets hear "forced close" and the
  /// client reconnects as after any loss, recovering its sessions when the
  /// server does. Any thread; nothing happens unless connected.
  void drop_connection();

  struct Impl;  ///< internal

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio
