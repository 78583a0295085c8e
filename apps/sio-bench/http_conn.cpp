#include "http_conn.hpp"

#include <system_error>

namespace sio::bench {

void HttpConn::request(std::string req) {
  request_ = std::move(req);
  busy_ = true;
  retried_ = false;
  parser_.reset();
  if (stream_ && stream_->connected()) {
    reused_ = true;
    stream_->write(request_);
  } else {
    open_stream();
  }
}

void HttpConn::open_stream() {
  if (stream_) stream_->close();
  reused_ = false;
  stream_ = std::make_shared<Stream>(io_, static_cast<Stream::Handler*>(this));
  stream_->connect(target_.endpoint, false, target_.tls);
}

void HttpConn::close(bool abortive) {
  if (stream_) stream_->close(abortive);
  stream_.reset();
  busy_ = false;
}

void HttpConn::on_connected(Stream& s) {
  if (busy_) s.write(request_);
}

std::size_t HttpConn::on_data(Stream& s, std::span<char> data) {
  if (!busy_) {
    close();
    owner_.on_http_failed(*this, ErrorKind::protocol, "HTTP bytes with no request pending");
    return data.size();
  }
  const std::size_t used = parser_.feed(std::string_view(data.data(), data.size()));
  if (parser_.failed()) {
    close();
    owner_.on_http_failed(*this, ErrorKind::protocol, parser_.error());
    return data.size();
  }
  if (!parser_.done()) return used;
  busy_ = false;
  if (used != data.size() || !parser_.keep_alive()) {
    // Bytes past the response (we never pipeline) or "Connection: close".
    stream_->close();
    stream_.reset();
  }
  std::string body = parser_.take_body();
  owner_.on_response(*this, parser_.status(), body);  // may start the next request
  return data.size();
}

void HttpConn::on_closed(Stream&, std::error_code ec) {
  stream_.reset();
  if (!busy_) return;  // an idle keep-alive connection ended: reopen on the next request
  if (parser_.started()) {
    parser_.on_eof();
    if (parser_.done()) {
      busy_ = false;
      std::string body = parser_.take_body();
      owner_.on_response(*this, parser_.status(), body);
      return;
    }
  } else if (reused_ && !retried_) {
    retried_ = true;
    open_stream();
    return;
  }
  busy_ = false;
  const bool refused = ec == std::errc::connection_refused;
  owner_.on_http_failed(*this, refused ? ErrorKind::refused : ErrorKind::closed,
                        refused ? "connection refused" : (ec ? "HTTP connection: " + ec.message() : "server closed the HTTP connection"));
}

}  // namespace sio::bench
