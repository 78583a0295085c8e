// A transport link carries Engine.IO text packets between the load tool and
// the server: WebSocket (one frame per packet) or long-polling (packets
// joined with \x1e in HTTP bodies). The engine client above sees only this.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "errors.hpp"
#include "net/tls_context.hpp"

namespace sio::bench {

// Where the server is and how its Engine.IO endpoint is named.
struct Target {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host_header;  // "127.0.0.1:3000"
  std::string path;         // "/socket.io/"
  net::SslCtxPtr tls;       // https:// URLs: the client SSL_CTX (no certificate check)
};

class LinkOwner {
 public:
  virtual ~LinkOwner() = default;
  // The link can carry packets (WebSocket: after the 101; polling: at once).
  virtual void on_link_open() = 0;
  // One Engine.IO packet, e.g. "0{...}", "2", "42[...]" (valid during the call).
  virtual void on_link_packet(std::string_view packet) = 0;
  // The link is dead; nothing more comes from it.
  virtual void on_link_failed(ErrorKind kind, std::string_view detail) = 0;
};

}  // namespace sio::bench
