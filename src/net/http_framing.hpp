// What a request's header must satisfy before anything reads its body: at
// most so many fields and bytes (431 past them), and a framing no two HTTP
// parsers can read differently (RFC 9112 §6.1, §6.3). Beast's parser already
// refuses Transfer-Encoding: chunked together with Content-Length and
// differing or malformed Content-Length values; it accepts, and these checks
// refuse:
//   - Transfer-Encoding whose last coding is not chunked ("xchunked",
//     "chunked, gzip"), or with chunked twice: 400, the body length is unknown;
//   - Transfer-Encoding on an HTTP/1.0 request: 400 (§6.1: faulty framing);
//   - Transfer-Encoding of any kind together with Content-Length: 400;
//   - a coding before chunked ("gzip, chunked"): 501, we only speak chunked.
// Each refusal is answered and the connection closed: behind a proxy that
// read the message otherwise, the next bytes are not a request we can trust.
#pragma once

#include <cstddef>
#include <system_error>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <sio/error.hpp>

namespace sio::net {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// The limits on one request's header (both servers use them).
struct HeaderLimits {
  std::size_t bytes = 16 * 1024;  // request line and fields: Node's default (--max-http-header-size)
  std::size_t fields = 100;       // EngineOptions::max_header_fields, ws::ServerOptions::max_header_fields
};

// While the header is read: `bytes` consumed so far and the fields parsed so
// far within `limits`; once `complete`, its framing too. Returns {} or
// errc::http_header_too_large, http_bad_framing, http_unsupported_coding.
std::error_code check_request_header(const boost::beast::http::request_header<>& req, std::size_t bytes,
                                     const HeaderLimits& limits, bool complete);

// One step of reading a header, run after each read: hands what `buffer`
// holds to the parser (consuming what it takes, added to `bytes`), then
// checks the limits, counting the unparsed rest of an unfinished header,
// and once the header is whole its framing. {} while it may go on
// (parser.is_header_done() tells whether it ended); else the refusal, or
// Beast's parse error.
boost::system::error_code parse_header_step(RequestParser& parser, boost::beast::flat_buffer& buffer,
                                            std::size_t& bytes, const HeaderLimits& limits);

// The framing rules above, on a complete header.
std::error_code check_framing(const boost::beast::http::request_header<>& req);
// The same rules for a response the client reads (its Transfer-Encoding must
// be exactly chunked, on HTTP/1.1, without Content-Length: anything else
// could delimit the body otherwise than Beast's parser does).
std::error_code check_framing(const boost::beast::http::fields& fields, unsigned version);

// Whether `req` has more than `max` fields (counts at most max + 1 of them).
bool too_many_fields(const boost::beast::http::fields& fields, std::size_t max);

// The status that answers a request whose reading failed with `ec` (our
// errc or Beast's parser errors): 431, 400, 413 or 501; 0 when the peer went
// away or the read was cancelled (nothing to answer).
int refusal_status(const boost::system::error_code& ec);

}  // namespace sio::net
