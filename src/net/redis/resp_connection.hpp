// One TCP connection to Redis speaking RESP2: hiredis formats commands and
// parses replies (its reader only, no hiredis I/O), Asio does the I/O on the
// caller's io_context. Replies come back in command order; on a subscriber
// connection every reply (confirmations and messages alike) is a push.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

struct redisReader;

namespace sio::net::redis {

namespace asio = boost::asio;

// A parsed RESP2 reply, owned.
struct Reply {
  enum class Type { string, array, integer, nil, status, error } type = Type::nil;
  std::string str;  // string, status, error
  long long integer = 0;
  std::vector<Reply> elements;
};

class RespConnection : public std::enable_shared_from_this<RespConnection> {
 public:
  using ReplyHandler = std::function<void(std::error_code ec, Reply reply)>;
  struct Callbacks {
    std::function<void(Reply push)> push;          // subscriber connections
    std::function<void(std::error_code ec)> closed;  // once, after connect succeeded
  };

  RespConnection(asio::io_context& ctx, bool subscriber, Callbacks callbacks);
  ~RespConnection();
  RespConnection(const RespConnection&) = delete;
  RespConnection& operator=(const RespConnection&) = delete;

  // Resolves and connects; `done` runs once.
  void connect(const std::string& host, std::uint16_t port, std::function<void(std::error_code)> done);

  // Queues a command. `done` (may be empty) gets its reply, or the error that
  // closed the connection first. On a subscriber connection replies are
  // pushes and `done` must be empty.
  void command(const std::vector<std::string>& args, ReplyHandler done = {});

  // Closes now; pending handlers get operation_aborted, `closed` is not called.
  void close();

  bool open() const noexcept { return open_; }

 private:
  void read();
  void write();
  void fail(std::error_code ec);
  void on_reply(Reply r);

  asio::ip::tcp::socket socket_;
  asio::ip::tcp::resolver resolver_;
  bool subscriber_;
  Callbacks callbacks_;
  redisReader* reader_;
  bool open_ = false;
  bool closed_ = false;
  bool writing_ = false;
  std::deque<std::string> out_;
  std::deque<ReplyHandler> waiting_;
  std::vector<char> in_;
};

}  // namespace sio::net::redis
