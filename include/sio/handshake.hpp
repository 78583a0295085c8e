// What a socket knows of how it connected (socket.io's socket.handshake).
//
// It does not copy the Engine.IO handshake request: it shares it with the
// session (and the session's other sockets) and reads its fields from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include <sio/http_request.hpp>

namespace sio {

/// How a socket connected (socket.io's socket.handshake): the Engine.IO
/// handshake request, shared with the session rather than copied, and the
/// CONNECT packet's auth payload.
class Handshake {
 public:
  Handshake() = default;  ///< no request: empty headers, query, address and url
  /// Internal: made when a client joins a namespace.
  Handshake(SharedRequest request, std::int64_t issued, boost::json::object auth)
      : issued(issued), auth(std::move(auth)), request_(std::move(request)) {}

  /// The Engine.IO handshake request's headers (lower-case names) and decoded query.
  HttpRequest::Fields headers() const { return request().headers(); }
  /// The handshake request's decoded query parameters.
  HttpRequest::Fields query() const { return request().query(); }
  /// The first header of that (lower-case) name, if any.
  std::optional<std::string_view> header(std::string_view lower_name) const { return request().header(lower_name); }
  /// The first query parameter of that name, decoded, if any.
  std::optional<std::string_view> query_param(std::string_view name) const { return request().query_param(name); }
  std::string_view address() const { return request().remote_address(); }  ///< the peer's IP address
  std::string_view url() const { return request().url(); }                  ///< the request's path and query
  bool secure() const { return request().secure(); }                        ///< over TLS
  bool xdomain() const { return request().header("origin").has_value(); }   ///< the request had an Origin header
  /// `issued` as JavaScript's Date#toString writes it (in UTC):
  /// "Tue Jan 02 2024 03:04:05 GMT+0000 (Coordinated Universal Time)".
  std::string time() const;

  const HttpRequest& request() const;  ///< an empty one when there is none
  /// The request itself, shared (null when there is none).
  const SharedRequest& shared_request() const { return request_; }

  std::int64_t issued = 0;    ///< creation time, ms since the Unix epoch
  boost::json::object auth;   ///< the CONNECT packet's payload ({} when none)

 private:
  SharedRequest request_;
};

}  // namespace sio
