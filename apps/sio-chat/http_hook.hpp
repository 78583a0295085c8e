// Serves the page through the server's HTTP hook (requests outside the
// Socket.IO path). The hook is the network layer's set_http_handler
// (src/net/engine_server.hpp), which sio::Server is to expose; until it does,
// install_static_files() returns false and sio-chat says so at startup.
#pragma once

#include <memory>
#include <utility>

#include <sio/server.hpp>

#include "static_files.hpp"

namespace chat {

template <class Server>
bool install_static_files(Server& io, std::shared_ptr<const StaticFiles> files) {
  // The return type is spelled out so that probing for the hook below does not
  // instantiate the body against a response type that may not exist yet.
  auto handler = [files = std::move(files)](const auto& req, auto& res) -> bool {
    StaticResponse r = files->serve(req.method, req.path);
    res.status = r.status;
    res.content_type = std::move(r.content_type);
    res.body = std::move(r.body);
    for (auto& [k, v] : r.headers) res.headers[k] = v;
    return true;
  };
  if constexpr (requires { io.on_http(handler); }) {
    io.on_http(std::move(handler));
    return true;
  } else if constexpr (requires { io.set_http_handler(handler); }) {
    io.set_http_handler(std::move(handler));
    return true;
  } else {
    return false;
  }
}

}  // namespace chat
