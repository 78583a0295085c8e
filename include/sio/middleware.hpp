// Middlewares: namespace middlewares (Namespace::use) run before a socket
// connects and may refuse it; socket middlewares (Socket::use) see every
// incoming event and may stop it. Both call `next` exactly once, possibly
// later and from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/json/value.hpp>

namespace sio {

/// A refusal: for a namespace middleware, sent to the client as CONNECT_ERROR
/// {"message": message, "data": data} (data left out when null).
struct Error {
  std::string message;       ///< why, for people
  boost::json::value data;   ///< anything more, for programs (null: none)
};

/// Continues a middleware chain: next() goes on, next(error) stops it.
class Next {
 public:
  /// What the chain does next: nullopt goes on, an Error stops it.
  using Fn = std::function<void(std::optional<Error>)>;
  Next() = default;  ///< does nothing when called
  /// Internal: made by the middleware chain.
  explicit Next(Fn fn) : fn_(std::make_shared<Fn>(std::move(fn))) {}

  /// Goes on to the next middleware (or the handlers). Only the first call counts.
  void operator()() const { call(std::nullopt); }
  /// Stops the chain with `e`. Only the first call counts.
  void operator()(Error e) const { call(std::move(e)); }

 private:
  void call(std::optional<Error> e) const {
    if (!fn_) return;
    Fn fn = std::exchange(*fn_, nullptr);  // once only
    if (fn) fn(std::move(e));
  }
  std::shared_ptr<Fn> fn_;
};

}  // namespace sio
