// The HTTP long-polling transport of an Engine.IO client: GETs on one
// keep-alive connection, POSTs on another (a GET may be pending while a POST
// goes out). Knows HTTP, not the protocol: the session decides when to poll
// and what to post.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/client/endpoint.hpp"
#include "net/client/http_connection.hpp"

namespace sio::net::client {

struct TransportCallbacks {
  std::function<void()> on_open;                                      // websocket only
  std::function<void(std::string_view data, bool binary)> on_data;   // polling: a GET body; ws: a message
  std::function<void()> on_drain;                                     // the last write is done
  std::function<void(bool error, std::string description)> on_down;  // failed or closed by the peer
};

class PollingTransport : public std::enable_shared_from_this<PollingTransport> {
 public:
  PollingTransport(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls, Endpoint ep,
                   std::size_t max_payload, TransportCallbacks cb);
  ~PollingTransport();

  void poll(const std::string& sid);
  void post(const std::string& sid, std::string body);
  // No callbacks after this. graceful: POST a close packet first (best
  // effort). `done` runs (later, on the loop) once nothing is left to send.
  void close(const std::string& sid, bool graceful, std::function<void()> done = {});

 private:
  std::string build(std::string_view method, const std::string& sid, std::string_view body) const;
  void fail(std::error_code ec, const HttpResponse& r);

  boost::asio::io_context& ctx_;
  Endpoint ep_;
  TransportCallbacks cb_;
  std::shared_ptr<HttpConnection> get_;
  std::shared_ptr<HttpConnection> post_;
  bool closed_ = false;
};

}  // namespace sio::net::client
