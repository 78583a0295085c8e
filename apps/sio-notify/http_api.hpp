// The app's two HTTP routes, next to the page:
//   POST /login   {"name": "alice"}             -> 200 {"token", "user", "expires"}
//   POST /notify  {to, title, body}, with "Authorization: Bearer <secret>"
//                                               -> 202 {"id", "users"}
// Refusals are JSON {"error": code, "message": sentence}: 401 bad or missing
// secret, 405 not a POST, 413 body over max_request, 415 not JSON, 400 a body
// that does not parse or does not check (notice.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/json/object.hpp>
#include <sio/config.hpp>
#include <sio/http_request.hpp>

#include "notice.hpp"

namespace notify {

struct HttpApiConfig {
  std::string secret;
  std::size_t max_request = 16384;  // bytes of a POST body
  std::int64_t token_ttl_s = 86400;  // a day
  NoticeLimits notice;
};

class HttpApi {
 public:
  using Deliver = std::function<boost::json::object(const Notice&)>;
  HttpApi(HttpApiConfig config, Deliver deliver) : config_(std::move(config)), deliver_(std::move(deliver)) {}

  // True (with `res` filled) for /login and /notify; false for other paths.
  bool handle(const sio::HttpRequest& req, sio::HttpResponse& res) const;

 private:
  void login(const sio::HttpRequest& req, sio::HttpResponse& res) const;
  void notify(const sio::HttpRequest& req, sio::HttpResponse& res) const;

  HttpApiConfig config_;
  Deliver deliver_;
};

}  // namespace notify
