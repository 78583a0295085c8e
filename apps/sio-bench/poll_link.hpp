// The long-polling transport of the load tool, shaped like a browser's: two
// keep-alive HTTP connections, one always holding a GET (the server answers
// it with whatever it has queued), one for POSTs. Packets sent while a POST is
// in flight, or while a response is being handled, are joined with \x1e and
// go together in the next POST.
#pragma once

#include <string>
#include <string_view>

#include "http_conn.hpp"
#include "link.hpp"

namespace sio::bench {

class PollOwner : public LinkOwner {
 public:
  // pause() is complete: no request is in flight.
  virtual void on_poll_paused() = 0;
};

class PollLink final : private HttpConn::Owner {
 public:
  PollLink(boost::asio::io_context& io, const Target& t, PollOwner& owner)
      : target_(t), owner_(owner), get_(io, t, *this), post_(io, t, *this) {}

  // Sends the handshake GET; its packets, and those of every later GET, go to
  // the owner. Polling goes on once set_sid() names the session.
  void start();
  void set_sid(std::string_view sid);
  void send(std::string_view packet);
  // Stops polling after the GET in flight and holds back new POSTs (for the
  // upgrade); the owner hears on_poll_paused() when all is quiet.
  void pause();
  // Packets queued but not sent (after pause()), \x1e-joined.
  std::string take_queued() { return std::exchange(batch_, {}); }
  // Drops both connections at once (the server notices when it next writes).
  void close(bool abortive = false);
  // Says goodbye like a client's close(): POSTs an Engine.IO close packet
  // ("1"), then drops both connections once it is answered. Nothing more
  // reaches the owner; finished() turns true at the end.
  // `abortive`: the connections end with a reset, leaving no TIME_WAIT
  // behind (see Conn::close).
  void close_gracefully(bool abortive = false);
  bool finished() const noexcept { return dead_; }

 private:
  void on_response(HttpConn& c, int status, std::string& body) override;
  void on_http_failed(HttpConn& c, ErrorKind k, std::string_view detail) override;
  void poll();
  void flush();
  void check_paused();

  const Target& target_;
  PollOwner& owner_;
  HttpConn get_;
  HttpConn post_;
  std::string get_request_;
  std::string post_head_;   // request line and headers up to "Content-Length: "
  std::string batch_;       // packets waiting for the next POST
  bool has_sid_ = false;
  bool in_dispatch_ = false;  // delivering a GET's packets: POSTs wait for the end
  bool paused_ = false;
  bool closing_ = false;    // close_gracefully(): waiting for the answer to "1"
  bool abortive_ = false;   // close_gracefully(true)
  bool dead_ = false;
};

}  // namespace sio::bench
