// What a socket knows of how it connected (socket.io's socket.handshake).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <boost/json/object.hpp>

namespace sio {

struct Handshake {
  std::map<std::string, std::string> headers;     // of the Engine.IO handshake request, lower-case names
  std::multimap<std::string, std::string> query;  // its decoded query parameters
  std::string address;                            // the peer's IP address
  std::string time;                               // creation time, as JavaScript's Date#toString writes it
  std::int64_t issued = 0;                        // creation time, ms since the Unix epoch
  std::string url;                                // the request's path and query
  bool secure = false;                            // over TLS
  bool xdomain = false;                           // the request had an Origin header
  boost::json::object auth;                       // the CONNECT packet's payload ({} when none)
};

}  // namespace sio
