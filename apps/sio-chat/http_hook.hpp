// Serves the page through the server's HTTP hook (requests outside the
// Socket.IO path).
#pragma once

#include <memory>
#include <utility>

#include <sio/server.hpp>

#include "static_files.hpp"

namespace chat {

inline void install_static_files(sio::Server& io, std::shared_ptr<const StaticFiles> files) {
  io.on_http([files = std::move(files)](const sio::HttpRequest& req, sio::HttpResponse& res) {
    StaticResponse r = files->serve(req.method(), req.path());
    res.status = r.status;
    res.content_type = std::move(r.content_type);
    res.body = std::move(r.body);
    for (auto& [k, v] : r.headers) res.headers[k] = v;
    return true;
  });
}

}  // namespace chat
