// Reading a request's header for both servers (HttpConnection, ws::Server):
// Beast's parser fed one read at a time, checked after each read against the
// header limits, and once whole, its framing (net/http_framing.hpp). Beast's
// own header_limit bounds only the bytes not yet parsed, and its read loop
// (http::async_read_header) returns only once the header ends: a header
// trickled in small pieces could otherwise grow without end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/http_framing.hpp"

namespace sio::net {

namespace detail {

template <class Stream, class Handler>
struct ReadRequestHeader {
  Stream& socket;
  boost::beast::flat_buffer& buffer;
  RequestParser& parser;
  HeaderLimits limits;
  Handler handler;
  std::size_t bytes = 0;  // header bytes the parser took

  void start() {
    if (buffer.size() == 0) return read();
    // A pipelined request already read: parsed from the loop, not from here.
    auto& s = socket;
    boost::asio::post(s.get_executor(), [op = std::move(*this)]() mutable { op.parse(); });
  }

  void read() {
    const std::size_t size = boost::beast::read_size(buffer, 65536);
    if (size == 0) return finish(boost::beast::http::error::buffer_overflow);
    auto& s = socket;
    auto space = buffer.prepare(size);
    s.async_read_some(space, std::move(*this));
  }

  void operator()(boost::system::error_code ec, std::size_t n) {
    if (ec == boost::asio::error::eof) {
      if (!parser.got_some()) return finish(boost::beast::http::error::end_of_stream);
      ec = {};
      parser.put_eof(ec);  // partial_message
      return finish(ec ? ec : boost::beast::http::error::partial_message);
    }
    if (ec) return finish(ec);
    buffer.commit(n);
    parse();
  }

  // Each read's bytes go to the parser at once, and the limits are checked
  // after every one (Beast's own read loop would go on until the header ends).
  void parse() {
    if (const boost::system::error_code ec = parse_header_step(parser, buffer, bytes, limits)) return finish(ec);
    if (parser.is_header_done()) return finish({});
    read();
  }

  void finish(boost::system::error_code ec) { std::move(handler)(ec); }
};

}  // namespace detail

// Reads the header of the next request into `parser` (fresh), then calls
// handler(boost::system::error_code): {} when the header is whole and may be
// served (its body, if any, is still to be read); an errc (http_header_too_large,
// http_bad_framing, http_unsupported_coding), Beast's parse error, or the
// socket's error otherwise. refusal_status(ec) tells the answer. `Stream`:
// a TCP socket, or a ConnStream (net/conn_stream.hpp).
template <class Stream, class Handler>
void async_read_request_header(Stream& socket, boost::beast::flat_buffer& buffer,
                               RequestParser& parser, const HeaderLimits& limits, Handler&& handler) {
  parser.header_limit(static_cast<std::uint32_t>(limits.bytes));
  detail::ReadRequestHeader<Stream, std::decay_t<Handler>>{socket, buffer, parser, limits,
                                                           std::forward<Handler>(handler)}
      .start();
}

// Answers a request that cannot be served (refusal_status(ec), text/plain,
// Connection: close), or nothing when the peer went away, and closes the
// socket. Blocking write: the answer is a few dozen bytes.
void refuse_request(boost::asio::ip::tcp::socket& socket, const boost::system::error_code& ec);

// "HTTP/1.1 431 Request Header Fields Too Large" ... for refusal_status(ec),
// or an empty string when there is nothing to answer.
std::string render_refusal(const boost::system::error_code& ec);

}  // namespace sio::net
