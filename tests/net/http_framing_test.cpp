// net/http_framing: the header limits and the RFC 9112 framing checks, on
// headers parsed by Beast's request parser (as the servers parse them), fed
// by hand: no sockets.
#include "net/http_framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace sio::net {
namespace {

namespace http = boost::beast::http;
using Parser = http::request_parser<http::string_body>;

// Parses a whole header; Beast's own verdict in `ec`.
std::error_code framing_of(std::string_view header, boost::system::error_code& ec) {
  Parser p;
  p.put(boost::asio::buffer(header.data(), header.size()), ec);
  if (ec || !p.is_header_done()) return {};
  return check_framing(p.get());
}

std::error_code framing_of(std::string_view header) {
  boost::system::error_code ec;
  const std::error_code verdict = framing_of(header, ec);
  EXPECT_FALSE(ec) << "Beast refused " << header << ": " << ec.message();
  return verdict;
}

const std::error_code kBadFraming = make_error_code(errc::http_bad_framing);

TEST(HttpFraming, AcceptsWhatIsUnambiguous) {
  EXPECT_FALSE(framing_of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(framing_of("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_FALSE(framing_of("POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\n"));
  EXPECT_FALSE(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_FALSE(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n"));
  EXPECT_FALSE(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: , chunked ,\r\n\r\n"));  // empty elements
}

TEST(HttpFraming, RefusesWhatBeastLetsThrough) {
  // Each of these Beast's parser accepts (the body then read by
  // Content-Length, or not at all), while a proxy may read it otherwise.
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked;x=1\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), kBadFraming);
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"),
            make_error_code(errc::http_unsupported_coding));
  EXPECT_EQ(framing_of("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            make_error_code(errc::http_unsupported_coding));
}

TEST(HttpFraming, BeastRefusesTheRestItself) {
  for (const std::string_view header : {
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
       }) {
    boost::system::error_code ec;
    framing_of(header, ec);
    EXPECT_TRUE(ec) << header;
    EXPECT_EQ(refusal_status(ec), 400) << header;
  }
}

TEST(HttpFraming, FieldAndByteLimits) {
  const HeaderLimits limits{16 * 1024, 100};
  std::string header = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) header += "f" + std::to_string(i) + ":\r\n";
  for (const bool one_more : {false, true}) {
    const std::string whole = header + (one_more ? "f100:\r\n\r\n" : "\r\n");
    Parser p;
    boost::system::error_code ec;
    p.put(boost::asio::buffer(whole), ec);
    ASSERT_FALSE(ec);
    ASSERT_TRUE(p.is_header_done());
    EXPECT_EQ(check_request_header(p.get(), whole.size(), limits, true),
              one_more ? make_error_code(errc::http_header_too_large) : std::error_code{});
    EXPECT_EQ(too_many_fields(p.get(), 100), one_more);
    EXPECT_EQ(check_request_header(p.get(), limits.bytes + 1, limits, true), make_error_code(errc::http_header_too_large));
  }
}

TEST(HttpFraming, BeastsHeaderLimitCountsOnlyWhatIsNotParsedYet) {
  // Reads that end just past a field (a byte into the next one, as a client
  // sending a field at a time gets them read) leave Beast's window small: it
  // takes 40 KB of header under a 16 KB header_limit. Counting every byte
  // the parser took, as async_read_request_header does, refuses it.
  const HeaderLimits limits{16 * 1024, 100};
  Parser p;
  p.header_limit(16 * 1024);
  std::string pending;
  std::size_t used = 0;
  boost::system::error_code ec;
  std::error_code verdict;
  const auto feed = [&](std::string_view bytes) {
    pending += bytes;
    const std::size_t n = p.put(boost::asio::buffer(pending), ec);
    pending.erase(0, n);
    used += n;
    if (!verdict) verdict = check_request_header(p.get(), used + pending.size(), limits, p.is_header_done());
  };
  std::string next = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 40; ++i) {
    const std::string field = "x-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
    feed(next + field.substr(0, 1));
    next = field.substr(1);
    ASSERT_EQ(ec, http::error::need_more) << "Beast refused at field " << i;
  }
  feed(next + "\r\n");
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(p.is_header_done());
  EXPECT_GT(used, 40'000u);  // Beast took it all
  EXPECT_EQ(verdict, make_error_code(errc::http_header_too_large));
}

TEST(HttpFraming, RefusalStatuses) {
  EXPECT_EQ(refusal_status(make_error_code(errc::http_header_too_large)), 431);
  EXPECT_EQ(refusal_status(http::error::header_limit), 431);
  EXPECT_EQ(refusal_status(make_error_code(errc::http_bad_framing)), 400);
  EXPECT_EQ(refusal_status(make_error_code(errc::http_unsupported_coding)), 501);
  EXPECT_EQ(refusal_status(http::error::bad_method), 400);
  EXPECT_EQ(refusal_status(http::error::body_limit), 413);
  EXPECT_EQ(refusal_status(http::error::end_of_stream), 0);
  EXPECT_EQ(refusal_status(http::error::partial_message), 0);
  EXPECT_EQ(refusal_status(boost::asio::error::eof), 0);
  EXPECT_EQ(refusal_status(boost::asio::error::operation_aborted), 0);
  EXPECT_EQ(refusal_status({}), 0);
}

}  // namespace
}  // namespace sio::net
