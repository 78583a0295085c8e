// Emitting to the clients of a cluster without running a server (what
// @socket.io/redis-emitter gives Node programs): a job worker, a cron job or
// any other program publishes to the Redis the servers share (C++ nodes on
// sio::redis_adapter, Node nodes on @socket.io/redis-adapter), in the same
// format as the Node emitter.
//
//   sio::Emitter emitter({.url = "redis://127.0.0.1:6379"});
//   emitter.to("user:42").emit("notification", "You have mail");
//   emitter.of("/admin").except("muted").emit("alert", 1, sio::Binary{0x01, 0x02});
//   emitter.to("lobby").sockets_join("game-7");
//   std::string error;
//   if (!emitter.flush(std::chrono::seconds(5), &error)) std::cerr << error << '\n';
//
// Messages are queued and published in order from a thread of the emitter's
// own; while Redis is unreachable they wait (up to max_queued_bytes) and go
// out once it is back. flush() waits until Redis has taken everything
// emitted so far.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sio/adapter.hpp>
#include <sio/payload.hpp>

namespace sio {

/// Where the cluster's Redis is, and how much to hold while it is away.
struct EmitterOptions {
  std::string url = "redis://127.0.0.1:6379";  ///< `redis://[[user]:password@]host[:port][/db]`
  std::string key = "socket.io";               ///< channel prefix: the Node adapter's and emitter's default
  /// Bytes of messages held while Redis cannot be reached; past it emit()
  /// and the other calls return false and drop their message (counted).
  std::size_t max_queued_bytes = 16u << 20;
};

/// The emitter's link to Redis and what went through it.
struct EmitterStatus {
  bool connected = false;      ///< the link is up now
  std::uint64_t published = 0; ///< messages Redis has taken
  std::uint64_t queued = 0;    ///< messages waiting to be published
  std::uint64_t refused = 0;   ///< messages dropped because the queue was full
  std::string last_error;      ///< why the link last failed ("" if never)
};

namespace detail {
class EmitterLink;
}

/// Sockets of one namespace picked by rooms, and what to do with them: the
/// Node emitter's BroadcastOperator. Each call returns a new operator.
class EmitterOperator {
 public:
  /// Also sockets in this room (a socket in several rooms gets it once).
  EmitterOperator to(std::string_view room) const;
  /// Also sockets in any of these rooms.
  EmitterOperator to(std::initializer_list<std::string_view> rooms) const;
  /// Same as to().
  EmitterOperator in(std::string_view room) const { return to(room); }
  /// Same as to().
  EmitterOperator in(std::initializer_list<std::string_view> rooms) const { return to(rooms); }
  /// ... but not sockets in this room.
  EmitterOperator except(std::string_view room) const;
  /// ... but not sockets in any of these rooms.
  EmitterOperator except(std::initializer_list<std::string_view> rooms) const;
  /// Dropped for clients whose transport cannot take it right now.
  EmitterOperator volatile_() const;
  /// false: never HTTP-compressed over polling.
  EmitterOperator compress(bool on) const;

  /// emit(event, args...): to the picked sockets on every server. False when
  /// the queue is full (the message is dropped); a reserved event name
  /// ("connect", "disconnect", ...) throws std::invalid_argument.
  template <class... A>
  bool emit(std::string_view event, A&&... a) const {
    Args args;
    args.reserve(sizeof...(A));
    (args.emplace_back(std::forward<A>(a)), ...);
    return emit_args(event, std::move(args));
  }
  /// emit() with the arguments as a list.
  bool emit_args(std::string_view event, Args args) const;
  /// The picked sockets join these rooms, wherever they are.
  bool sockets_join(std::vector<std::string> rooms) const;
  /// The picked sockets leave these rooms, wherever they are.
  bool sockets_leave(std::vector<std::string> rooms) const;
  /// The picked sockets are disconnected (close: their whole connection).
  bool disconnect_sockets(bool close = false) const;

  /// The namespace, rooms, exceptions and flags chosen so far.
  const std::string& nsp() const noexcept { return nsp_; }
  /// The rooms, exceptions and flags chosen so far.
  const BroadcastOptions& options() const noexcept { return opts_; }

 private:
  friend class Emitter;
  EmitterOperator(std::shared_ptr<detail::EmitterLink> link, std::string nsp, BroadcastOptions opts)
      : link_(std::move(link)), nsp_(std::move(nsp)), opts_(std::move(opts)) {}
  std::shared_ptr<detail::EmitterLink> link_;
  std::string nsp_;
  BroadcastOptions opts_;
};

/// Publishes to a Socket.IO cluster's Redis as `@socket.io/redis-emitter` does.
/// Thread-safe; copies share one link (of() gives another namespace on it).
class Emitter {
 public:
  /// Starts connecting in the background. Throws std::invalid_argument when
  /// `options.url` is not a redis:// URL.
  explicit Emitter(EmitterOptions options = {});

  /// The same link, another namespace ("/" is added in front when missing).
  Emitter of(std::string_view nsp) const;

  /// Sockets in this room (see EmitterOperator::to()).
  EmitterOperator to(std::string_view room) const { return all().to(room); }
  /// Sockets in any of these rooms.
  EmitterOperator to(std::initializer_list<std::string_view> rooms) const { return all().to(rooms); }
  /// Same as to().
  EmitterOperator in(std::string_view room) const { return all().to(room); }
  /// Same as to().
  EmitterOperator in(std::initializer_list<std::string_view> rooms) const { return all().to(rooms); }
  /// Every socket but those in this room.
  EmitterOperator except(std::string_view room) const { return all().except(room); }
  /// Every socket but those in any of these rooms.
  EmitterOperator except(std::initializer_list<std::string_view> rooms) const { return all().except(rooms); }
  /// Dropped for clients whose transport cannot take it right now.
  EmitterOperator volatile_() const { return all().volatile_(); }
  /// false: never HTTP-compressed over polling.
  EmitterOperator compress(bool on) const { return all().compress(on); }
  /// emit(event, args...) to every socket of the namespace (see EmitterOperator::emit()).
  template <class... A>
  bool emit(std::string_view event, A&&... a) const {
    return all().emit(event, std::forward<A>(a)...);
  }
  /// emit() with the arguments as a list.
  bool emit_args(std::string_view event, Args args) const { return all().emit_args(event, std::move(args)); }
  /// Every socket of the namespace joins these rooms.
  bool sockets_join(std::vector<std::string> rooms) const { return all().sockets_join(std::move(rooms)); }
  /// Every socket of the namespace leaves these rooms.
  bool sockets_leave(std::vector<std::string> rooms) const { return all().sockets_leave(std::move(rooms)); }
  /// Every socket of the namespace is disconnected (close: the whole connection).
  bool disconnect_sockets(bool close = false) const { return all().disconnect_sockets(close); }

  /// An event for the servers themselves (their server_side handlers), not
  /// their clients; no acknowledgements, as in the Node emitter.
  template <class... A>
  bool server_side_emit(std::string_view event, A&&... a) const {
    Args args;
    args.reserve(sizeof...(A));
    (args.emplace_back(std::forward<A>(a)), ...);
    return server_side_emit_args(event, std::move(args));
  }
  /// server_side_emit() with the arguments as a list.
  bool server_side_emit_args(std::string_view event, Args args) const;

  /// Waits until Redis has taken every message emitted so far (from any
  /// thread), at most `timeout`. False, with `error` set if given, when it
  /// has not (Redis unreachable, or refused a command).
  bool flush(std::chrono::milliseconds timeout, std::string* error = nullptr) const;

  /// The link and the counts.
  EmitterStatus status() const;

  /// The namespace this emitter emits in.
  const std::string& nsp() const noexcept { return nsp_; }

 private:
  Emitter(std::shared_ptr<detail::EmitterLink> link, std::string nsp) : link_(std::move(link)), nsp_(std::move(nsp)) {}
  EmitterOperator all() const { return EmitterOperator(link_, nsp_, {}); }
  std::shared_ptr<detail::EmitterLink> link_;
  std::string nsp_;
};

}  // namespace sio
