// A socket's id and handshake, from the Engine.IO request and CONNECT's auth.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include <sio/config.hpp>
#include <sio/handshake.hpp>

namespace sio::io {

// 20 characters of base64url from 15 random bytes, as socket.io's base64id:
// never the Engine.IO sid, which is sensitive (it lets one poll the session).
std::string make_socket_id();
// A session's private id for connection state recovery (socket.io's pid): 20
// characters of base64url from 120 bits of the system's random source.
std::string make_private_id();

Handshake make_handshake(const SharedRequest& request, boost::json::object auth);

}  // namespace sio::io
