#include "net/http_framing.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace sio::net {

namespace http = boost::beast::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool too_many_fields(const http::fields& fields, std::size_t max) {
  std::size_t n = 0;
  for (auto it = fields.begin(); it != fields.end(); ++it)
    if (++n > max) return true;
  return false;
}

std::error_code check_framing(const http::request_header<>& req) { return check_framing(req, req.version()); }

std::error_code check_framing(const http::fields& fields, unsigned version) {
  // The codings of every Transfer-Encoding field, in order (a list may be
  // split over several fields; empty list elements are ignored, RFC 9110 §5.6.1).
  bool present = false, last_chunked = false, other = false;
  int chunked = 0;
  for (const auto& f : fields) {
    if (f.name() != http::field::transfer_encoding) continue;
    present = true;
    const std::string_view v(f.value().data(), f.value().size());
    for (std::size_t pos = 0;;) {
      const std::size_t comma = v.find(',', pos);
      const std::string_view coding = trim(v.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
      if (!coding.empty()) {
        last_chunked = boost::beast::iequals(coding, "chunked");
        if (last_chunked) ++chunked;
        else other = true;
      }
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  if (!present) return {};
  if (version < 11 || fields.find(http::field::content_length) != fields.end() || !last_chunked || chunked != 1)
    return make_error_code(errc::http_bad_framing);
  if (other) return make_error_code(errc::http_unsupported_coding);
  return {};
}

std::error_code check_request_header(const http::request_header<>& req, std::size_t bytes, const HeaderLimits& limits,
                                     bool complete) {
  if (bytes > limits.bytes || too_many_fields(req, limits.fields)) return make_error_code(errc::http_header_too_large);
  return complete ? check_framing(req) : std::error_code{};
}

boost::system::error_code parse_header_step(RequestParser& parser, boost::beast::flat_buffer& buffer,
                                            std::size_t& bytes, const HeaderLimits& limits) {
  boost::system::error_code ec;
  const std::size_t used = parser.put(buffer.data(), ec);
  buffer.consume(used);
  bytes += used;
  if (ec && ec != http::error::need_more) return ec;
  const bool done = parser.is_header_done();
  // A field still arriving counts too: what the parser has not taken yet.
  if (const std::error_code e = check_request_header(parser.get(), done ? bytes : bytes + buffer.size(), limits, done))
    return e;
  return {};
}

int refusal_status(const boost::system::error_code& ec) {
  if (!ec) return 0;
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category()) {
    switch (static_cast<http::error>(ec.value())) {
      case http::error::end_of_stream:
      case http::error::partial_message:
      case http::error::short_read:
        return 0;  // the peer went away
      case http::error::header_limit: return 431;
      case http::error::body_limit: return 413;
      default: return 400;
    }
  }
  const std::error_code se = ec;
  if (se.category() == error_category()) {
    switch (static_cast<errc>(se.value())) {
      case errc::http_header_too_large: return 431;
      case errc::http_unsupported_coding: return 501;
      case errc::http_bad_framing:
      case errc::http_bad_request: return 400;
      default: break;
    }
  }
  return 0;
}

}  // namespace sio::net
