#include "net/client/http_connection.hpp"

#include <optional>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/http_framing.hpp"

namespace sio::net::client {

namespace http = boost::beast::http;

namespace {
// A response's header: as the servers' limits on a request's (16 KB, 100
// fields), counted over every read (Beast's own limit counts only the bytes
// of one put not yet parsed).
constexpr HeaderLimits kHeaderLimits{16 * 1024, 100};
// Bytes read and not yet parsed (a header, a chunk-size line, trailers):
// past it, a response that never ends its line is an error, not memory.
constexpr std::size_t kUnparsedLimit = 64 * 1024;
}  // namespace

struct HttpConnection::Parser {
  std::optional<http::response_parser<http::string_body>> p;
};

HttpConnection::HttpConnection(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls,
                               std::string host, std::uint16_t port, std::size_t max_body)
    : ctx_(ctx), tls_(std::move(tls)), host_(std::move(host)), port_(port), max_body_(max_body),
      parser_(std::make_unique<Parser>()) {}

HttpConnection::~HttpConnection() {
  if (stream_) stream_->close();
}

void HttpConnection::request(std::string request, Done done) {
  request_ = std::move(request);
  done_ = std::move(done);
  busy_ = true;
  retried_ = false;
  start(false);
}

void HttpConnection::close() {
  ++generation_;
  if (stream_) stream_->close();
  stream_.reset();
  if (busy_) {
    busy_ = false;
    auto done = std::move(done_);
    boost::asio::post(ctx_, [done = std::move(done)] {
      done(std::make_error_code(std::errc::operation_canceled), {});
    });
  }
}

void HttpConnection::start(bool fresh) {
  parser_->p.emplace();
  parser_->p->body_limit(max_body_);
  parser_->p->eager(true);
  parser_->p->header_limit(static_cast<std::uint32_t>(kHeaderLimits.bytes));
  in_.clear();
  header_bytes_ = 0;
  header_checked_ = false;
  answered_ = false;
  if (!fresh && stream_ && stream_->is_open()) {
    reused_ = true;
    send();
    return;
  }
  reused_ = false;
  if (stream_) stream_->close();
  stream_ = Stream::make(ctx_, tls_);
  const auto gen = generation_;
  stream_->connect(host_, port_, [self = shared_from_this(), gen](std::error_code ec) {
    if (gen != self->generation_) return;
    if (ec) return self->finish(ec);
    self->send();
  });
}

void HttpConnection::send() {
  const auto gen = generation_;
  stream_->write(request_, [self = shared_from_this(), gen](std::error_code ec) {
    if (gen != self->generation_) return;
    if (ec) return self->finish(ec);
    self->read();
  });
}

void HttpConnection::read() {
  const auto gen = generation_;
  stream_->read_some([self = shared_from_this(), gen](std::error_code ec, std::string_view data) {
    if (gen != self->generation_) return;
    auto& p = *self->parser_->p;
    if (ec) {
      if (is_eof(ec) && self->answered_) {
        // A body delimited by the end of the connection.
        boost::beast::error_code bec;
        p.put_eof(bec);
        self->stream_->close();
        return self->finish(bec ? std::error_code(bec) : std::error_code{});
      }
      return self->finish(ec);
    }
    self->answered_ = true;
    self->in_.append(data);
    while (!self->in_.empty() && !p.is_done()) {
      boost::beast::error_code bec;
      const bool header = !p.is_header_done();
      const std::size_t used = p.put(boost::asio::buffer(self->in_), bec);
      self->in_.erase(0, used);
      if (header) self->header_bytes_ += used;
      if (bec == http::error::need_more) break;
      if (bec) return self->finish(bec);
    }
    if (const std::error_code refused = self->check_response()) return self->finish(refused);
    if (p.is_done()) {
      if (!p.keep_alive()) self->stream_->close();
      return self->finish({});
    }
    self->read();
  });
}

std::error_code HttpConnection::check_response() {
  const auto& p = *parser_->p;
  if (!p.is_header_done()) {
    if (header_bytes_ + in_.size() > kHeaderLimits.bytes || too_many_fields(p.get(), kHeaderLimits.fields))
      return make_error_code(errc::http_header_too_large);
  } else if (!header_checked_) {
    header_checked_ = true;
    if (header_bytes_ > kHeaderLimits.bytes || too_many_fields(p.get(), kHeaderLimits.fields))
      return make_error_code(errc::http_header_too_large);
    if (const std::error_code e = check_framing(p.get(), p.get().version())) return e;
  }
  if (p.is_done() && too_many_fields(p.get(), kHeaderLimits.fields))  // with the trailers
    return make_error_code(errc::http_header_too_large);
  if (in_.size() > kUnparsedLimit) return http::make_error_code(http::error::buffer_overflow);
  return {};
}

void HttpConnection::finish(std::error_code ec) {
  if (!busy_) return;
  if (ec && reused_ && !answered_ && !retried_) {
    retried_ = true;
    start(true);  // the server had dropped the idle connection: once more, afresh
    return;
  }
  HttpResponse r;
  if (ec) {
    if (stream_) stream_->close();
  } else {
    auto& p = *parser_->p;
    r.status = static_cast<int>(p.get().result_int());
    r.body = std::move(p.get().body());
  }
  busy_ = false;
  auto done = std::move(done_);
  done(ec, std::move(r));
}

}  // namespace sio::net::client
