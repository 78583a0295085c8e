// A Socket.IO v5 server (the protocol of socket.io 3 and 4), over Engine.IO v4
// with long-polling and WebSocket.
//
//   sio::Server io({.port = 3000});
//   io.on_connection([&](sio::Socket& socket) {
//     socket.join("lobby");
//     socket.on("chat", [&](sio::Event& ev) {
//       io.to("lobby").except(socket.id()).emit("chat", ev.arg(0));
//       ev.ack("delivered");
//     });
//   });
//   io.run();
//
// The server runs `threads` event loops; each client connection lives on one
// of them and its sockets' handlers run there. Everything on Server and
// Namespace is thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/object.hpp>

#include <sio/adapter.hpp>
#include <sio/broadcast.hpp>
#include <sio/config.hpp>
#include <sio/namespace.hpp>
#include <sio/recovery.hpp>
#include <sio/socket.hpp>

/// socketio-cpp's public API: servers, the client, payloads, errors.
namespace sio {

/// Where and how a sio::Server listens.
struct ServerOptions {
  EngineOptions engine;           ///< path "/socket.io/", heartbeat, limits, CORS: socket.io's defaults
  std::string host = "127.0.0.1";  ///< address to listen on (loopback; "0.0.0.0": every interface)
  std::uint16_t port = 3000;      ///< 0: any free port (see Server::port())
  std::size_t threads = 0;        ///< event loops; 0: the machine's hardware threads
  std::chrono::milliseconds connect_timeout{45000};  ///< 45 s: matches socket.io (connectTimeout)
  std::size_t max_attachments = 10;  ///< binary attachments per packet: socket.io-parser's default
  /// Namespaces each parent (Server::of(matcher)) may create; past it a
  /// CONNECT to a name not yet created is refused as a name no parent
  /// matches ("Invalid namespace"). Not in socket.io, whose children are
  /// never removed: without a cap, clients naming new namespaces grow the
  /// server without end. 0: no cap.
  std::size_t max_dynamic_namespaces = 10000;
  AdapterFactory adapter;         ///< unset: in memory (one server)
  /// Off: socket.io's default. On: the in-memory adapter keeps sessions and
  /// packets for recovery (another adapter recovers only if it implements it).
  ConnectionStateRecoveryOptions connection_state_recovery;
};

/// Decides whether a namespace that was not declared may be created on a
/// client's CONNECT (name, auth payload): a dynamic namespace.
using NamespaceMatcher = std::function<bool(const std::string& name, const boost::json::object& auth)>;
/// A matcher for names an ECMAScript regular expression finds a match in (as
/// JavaScript's RegExp#test: anchor it, "^/dyn-\\d+$", to match whole names).
NamespaceMatcher namespace_regex(const std::string& pattern);

/// A Socket.IO v5 server (socket.io 3 and 4) over Engine.IO v4, with
/// long-polling and WebSocket: socket.io's Server. It listens from its
/// construction and serves once run() or start() runs its loops.
/// Everything on Server and Namespace is thread-safe.
class Server {
 public:
  /// Listens at once (throws std::system_error when it cannot, e.g. the port
  /// is taken).
  explicit Server(ServerOptions opts = {});
  ~Server();  ///< stops and joins a start()ed server
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port listened on (the one chosen when ServerOptions::port was 0).
  std::uint16_t port() const;
  /// How many event loops run (ServerOptions::threads, or the hardware's).
  std::size_t loop_count() const;

  /// The namespace `name` ("/admin"), created on first use.
  Namespace& of(std::string_view name);
  /// A parent namespace: clients may connect to any name `match` accepts; each
  /// such name becomes a namespace with the parent's handlers and middlewares.
  Namespace& of(NamespaceMatcher match);
  Namespace& sockets();  ///< the main namespace, "/"

  /// @name The main namespace's: sockets() and then the Namespace member of the same name.
  ///@{

  /// The main namespace's: sockets() and then the Namespace member of the same name.
  void on_connection(std::function<void(Socket&)> fn) { sockets().on_connection(std::move(fn)); }
  void use(std::function<void(Socket&, Next)> fn) { sockets().use(std::move(fn)); }
  BroadcastOperator to(std::string_view room) { return sockets().to(room); }
  BroadcastOperator to(std::initializer_list<std::string_view> rooms) { return sockets().to(rooms); }
  BroadcastOperator in(std::string_view room) { return sockets().to(room); }
  BroadcastOperator except(std::string_view room) { return sockets().except(room); }
  BroadcastOperator local() { return sockets().local(); }
  BroadcastOperator volatile_() { return sockets().volatile_(); }
  BroadcastOperator compress(bool on) { return sockets().compress(on); }
  BroadcastOperator timeout(std::chrono::milliseconds t) { return sockets().timeout(t); }
  template <class... A>
  void emit(std::string_view event, A&&... a) {
    sockets().emit(event, std::forward<A>(a)...);
  }
  void fetch_sockets(FetchSocketsCallback cb) { sockets().fetch_sockets(std::move(cb)); }
  void sockets_join(std::string_view room) { sockets().sockets_join(room); }
  void sockets_leave(std::string_view room) { sockets().sockets_leave(room); }
  void disconnect_sockets(bool close = false) { sockets().disconnect_sockets(close); }
  template <class... A>
  void server_side_emit(std::string_view event, A&&... a) {
    sockets().server_side_emit(event, std::forward<A>(a)...);
  }
  ///@}

  /// Answers HTTP requests outside the Socket.IO path (a page, its scripts);
  /// without it they get 404. Set before run(); called on any loop's thread.
  void on_http(HttpHandler handler);

  /// Runs the event loops until stop(); the calling thread runs the first.
  void run();
  /// run() on a background thread (tests, embedding); returns at once.
  void start();
  /// Thread-safe: disconnects every client ("server shutting down") and makes
  /// run() return. close() is the same (socket.io's io.close()).
  void stop();
  void close() { stop(); }  ///< stop()

  /// TLS (EngineOptions::tls): reads the certificate, key and client CA
  /// files again. Connections accepted from now on use them; open ones keep
  /// the certificate they started with. On failure the current files stay in
  /// use and the error is returned (errc::tls_bad_file; `detail`, if given,
  /// names the file and OpenSSL's reason). Thread-safe.
  std::error_code reload_tls(std::string* detail = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio
