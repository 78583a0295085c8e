// One HTTP/1.1 client connection, kept alive between requests: writes a
// request, reads the response with Beast's parser (fed by hand, so the same
// code serves TCP and TLS). Reconnects when the server closed it; a request
// that fails on a reused connection before any answer is retried once on a
// fresh one (the server may have dropped an idle keep-alive connection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "net/client/stream.hpp"

namespace sio::net::client {

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  using Done = std::function<void(std::error_code, HttpResponse)>;

  HttpConnection(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls, std::string host,
                 std::uint16_t port, std::size_t max_body);
  ~HttpConnection();

  // Sends `request` (a whole HTTP/1.1 request) and reads the answer. One at a
  // time. `done` runs on the loop thread, later.
  void request(std::string request, Done done);
  // Drops the connection; a pending request completes with an error.
  void close();
  bool busy() const noexcept { return busy_; }

 private:
  struct Parser;
  void start(bool fresh);
  void send();
  void read();
  void finish(std::error_code ec);
  // The response's header within limits, its framing (net/http_framing.hpp),
  // the unparsed input bounded: {} or the error that ends the request.
  std::error_code check_response();

  boost::asio::io_context& ctx_;
  std::shared_ptr<TlsContext> tls_;
  std::string host_;
  std::uint16_t port_;
  std::size_t max_body_;
  std::shared_ptr<Stream> stream_;
  std::unique_ptr<Parser> parser_;
  std::string request_;
  std::string in_;          // bytes read and not yet taken by the parser
  std::size_t header_bytes_ = 0;  // of the response's header, taken by the parser
  bool header_checked_ = false;
  Done done_;
  bool busy_ = false;
  bool reused_ = false;     // the request went out on a connection used before
  bool answered_ = false;   // some response bytes arrived
  bool retried_ = false;
  std::uint64_t generation_ = 0;  // bumped by close(): stale completions are ignored
};

}  // namespace sio::net::client
