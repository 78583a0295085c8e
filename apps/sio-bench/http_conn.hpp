// One keep-alive HTTP/1.1 connection of the polling transport: one request at
// a time, the socket reused across requests and reopened when the server
// closed it. Like browsers, a request that fails on a reused connection
// before any response byte arrived is retried once on a fresh one (the server
// may close an idle keep-alive connection just as we reuse it).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "http_response.hpp"
#include "link.hpp"
#include "stream.hpp"

namespace sio::bench {

class HttpConn final : private Stream::Handler {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    virtual void on_response(HttpConn& c, int status, std::string& body) = 0;
    virtual void on_http_failed(HttpConn& c, ErrorKind k, std::string_view detail) = 0;
  };

  HttpConn(boost::asio::io_context& io, const Target& t, Owner& owner) : io_(io), target_(t), owner_(owner) {}
  ~HttpConn() override { close(); }

  // Sends a whole request (head and body); the response comes to the owner.
  void request(std::string req);
  bool busy() const noexcept { return busy_; }
  void close(bool abortive = false);

 private:
  void on_connected(Stream& s) override;
  std::size_t on_data(Stream& s, std::span<char> data) override;
  void on_closed(Stream& s, std::error_code ec) override;
  void open_stream();

  boost::asio::io_context& io_;
  const Target& target_;
  Owner& owner_;
  std::shared_ptr<Stream> stream_;
  HttpResponseParser parser_;
  std::string request_;       // kept until the response starts, for the one retry
  bool busy_ = false;
  bool reused_ = false;       // the stream already carried a whole exchange
  bool retried_ = false;
};

}  // namespace sio::bench
