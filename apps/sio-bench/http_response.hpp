// An incremental HTTP/1.1 response parser, just enough for a load client:
// status, the few headers that shape the exchange, and the body (by
// Content-Length, chunked, or until the connection closes). Bytes go in as
// they arrive; the body accumulates inside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sio::bench {

class HttpResponseParser {
 public:
  // Consumes bytes of the response in progress; returns how many were used
  // (fewer than offered once the response is complete: the rest belongs to
  // whatever follows, e.g. WebSocket frames after a 101). Check done() and
  // failed() afterwards.
  std::size_t feed(std::string_view in);
  // The connection ended; completes a body that runs until close.
  void on_eof();

  bool done() const noexcept { return state_ == State::done; }
  bool failed() const noexcept { return state_ == State::failed; }
  bool started() const noexcept { return state_ != State::head || !head_.empty(); }
  std::string_view error() const noexcept { return error_; }

  int status() const noexcept { return status_; }
  bool keep_alive() const noexcept { return keep_alive_; }
  const std::string& body() const noexcept { return body_; }
  const std::string& ws_accept() const noexcept { return ws_accept_; }
  // Moves the body out (the parser stays done).
  std::string take_body() { return std::move(body_); }

  void reset();

 private:
  enum class State : std::uint8_t { head, body_length, chunk_size, chunk_data, chunk_crlf, trailer, until_close, done, failed };

  std::size_t fail(const char* why, std::size_t used);
  bool parse_head();
  std::size_t feed_chunked(std::string_view in);

  State state_ = State::head;
  std::string head_;
  std::string body_;
  std::string line_;  // a chunk-size or trailer line in progress
  std::string ws_accept_;
  std::uint64_t remaining_ = 0;
  int status_ = 0;
  bool keep_alive_ = true;
  const char* error_ = "";
};

}  // namespace sio::bench
