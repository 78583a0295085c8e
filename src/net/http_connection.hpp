// One accepted TCP connection speaking HTTP/1.1: routes each request to the
// engine (polling GET/POST, WebSocket upgrade, CORS preflight) or to the
// server's plain HTTP handler. A polling request for a session owned by
// another loop is handed to that loop and answered back here.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/conn_stream.hpp"
#include "net/http_util.hpp"
#include "net/server_core.hpp"

namespace sio::net {

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(ServerCore& core, AsioLoop& loop, boost::asio::ip::tcp::socket socket,
                 const boost::asio::ip::tcp::endpoint& peer);
  void start() { read_request(); }

 private:
  void read_request();
  void on_header(boost::system::error_code ec);
  void read_body();     // a read at a time, each held against the inbound budget
  void refuse_busy();   // 503: the inbound budget is spent
  void release_body();  // frees the body and gives its bytes back to the budget
  void on_request(boost::system::error_code ec);
  void route();
  void handle_engine(std::string_view query, std::string&& body, bool upgrade);
  void handle_handshake(std::string_view query, bool upgrade);
  void handle_upgrade_of(const std::string& sid, int loop_index, std::uint8_t protocol);
  // The Engine.IO protocol a request asks for: 4 for EIO=4, 3 for anything else (engine.io's rule).
  static std::uint8_t protocol_asked(std::string_view query);
  const HttpRequest& full_request();
  void on_session_loop(int loop_index, std::function<void(SessionHost*)> fn);
  PollResponder responder();
  void fail_session_of_current();
  void watch_for_abort(int loop_index, std::string sid);
  void aborted_poll(int loop_index, const std::string& sid);
  void write_poll_reply(PollReply r);
  std::string accept_encoding() const;  // the request's Accept-Encoding list
  // A place for the client of this handshake (EngineOptions::limits): its
  // address, or nullopt when refused (then already answered 403).
  std::optional<std::string> admit(const HttpRequest& info);
  void write_error(const EngineError& e);
  void write(int status, Headers headers, std::string_view body);
  // A response as it goes on the wire, without hooks or CORS (a refusal
  // before routing); the connection closes after it.
  void write_raw(std::string response);
  void abort_post();
  void after_write();
  void close_in(std::chrono::milliseconds delay);  // (re)arms request_timer_
  void linger();  // after the last response: see the .cpp
  void drain();
  std::string leftover() const;
  wire::SharedBytes handshake_101(Headers extra);
  Headers handshake_headers(const HttpRequest& info, const std::string& sid) const;

  ServerCore& core_;
  AsioLoop& loop_;
  ConnStream stream_;  // the socket, through TLS when the server speaks it
  boost::asio::ip::tcp::socket& socket_ = stream_.socket();
  boost::beast::flat_buffer buffer_;
  // Holds the request being answered until the next one is read: routing,
  // CORS and the WebSocket handshake read its header fields in place.
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<std::string> sid_;  // the current request's sid query parameter
  // The current request as the user sees it (sio::HttpRequest), built only
  // when someone looks: a handshake (then shared with the session), an
  // on_http request, or the `headers` / `allow_request` / `initial_headers`
  // hooks. A polling GET/POST of an existing session never builds it unless
  // the `headers` hook is set.
  SharedRequest full_;
  std::string out_;             // the response being written
  Headers pending_headers_;     // handshake headers (cookie, initial_headers) for the next response
  bool keep_alive_ = true;
  bool replied_ = false;        // the current request has its answer
  std::uint64_t post_token_ = 0; // the current POST, as its session knows it
  bool awaiting_reply_ = false; // a GET parked at its session
  std::uint64_t reply_gen_ = 0; // tells a stale abort watch from the current one
  std::string remote_;
  std::size_t lingered_ = 0;    // bytes dropped since the last response
  // The current request's body, held against the server-wide inbound budget.
  engine::InboundBudget::Lease body_lease_;
  bool body_reading_ = false;   // a read of the body is pending
  // Closes a connection whose request does not come. (Ended by the request
  // or by the read's failure, on this loop; its callback holds a weak
  // reference, so a connection may go away, on any loop, with it armed.)
  engine::Loop::TimerId request_timer_ = 0;
};

}  // namespace sio::net
