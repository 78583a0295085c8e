// net::async_read_request_header over a real loopback TCP connection: the
// header limits (431 past them, also for a header that never ends), framing
// refusals, the end of the stream, and a pipelined header already read is
// completed from the loop, not inline.
#include "net/http_read.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>

namespace sio::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

struct Pair {
  asio::io_context io;
  tcp::socket client{io}, server{io};
  Pair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  void send(const std::string& bytes) { asio::write(client, asio::buffer(bytes)); }
};

// Runs the read of one header; the verdict once it completed.
struct Read {
  boost::beast::flat_buffer buffer;
  RequestParser parser;
  std::optional<boost::system::error_code> result;

  void start(Pair& pair, HeaderLimits limits) {
    async_read_request_header(pair.server, buffer, parser, limits,
                              [this](boost::system::error_code ec) { result = ec; });
  }
  boost::system::error_code run(Pair& pair, HeaderLimits limits) {
    start(pair, limits);
    pair.io.restart();
    for (int i = 0; i < 500 && !result; ++i) pair.io.run_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(result) << "the read never completed";
    return result.value_or(asio::error::timed_out);
  }
};

// `n` fields "x<n>: a" in all, about 8 bytes each.
std::string header_with(int n, bool end = true) {
  std::string h = "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: a\r\n";
  for (int i = 1; i < n; ++i) h += "x" + std::to_string(i) + ": a\r\n";
  return end ? h + "\r\n" : h;
}

TEST(HttpReadHeader, AHeaderPastTheByteLimitIsRefused) {
  // 3,000 small fields, 25 KB, over a field cap that does not stop them:
  // refused 431 (by our count of every byte read, or Beast's own window,
  // depending on where the reads happen to end; see http_framing_test).
  const std::string big = header_with(3000);
  ASSERT_GT(big.size(), 20'000u);
  Pair pair;
  pair.send(big);
  Read read;
  EXPECT_EQ(refusal_status(read.run(pair, {16 * 1024, 1'000'000})), 431);
}

TEST(HttpReadHeader, AHeaderThatNeverEndsIsRefusedPastTheLimits) {
  for (const HeaderLimits limits : {HeaderLimits{16 * 1024, 100}, HeaderLimits{16 * 1024, 1'000'000}}) {
    Pair pair;
    pair.send(header_with(2500, false));  // 20 KB, and then nothing
    Read read;
    EXPECT_EQ(refusal_status(read.run(pair, limits)), 431) << limits.fields << " fields allowed";
    EXPECT_FALSE(read.parser.is_header_done());
  }
}

TEST(HttpReadHeader, AHundredFieldsAreRead) {
  Pair pair;
  pair.send(header_with(100));
  Read read;
  EXPECT_FALSE(read.run(pair, {16 * 1024, 100}));
  EXPECT_TRUE(read.parser.is_header_done());
  EXPECT_EQ(read.parser.get().target(), "/engine.io/?EIO=4&transport=polling");
}

TEST(HttpReadHeader, FramingIsCheckedOnceTheHeaderIsWhole) {
  Pair pair;
  pair.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  Read read;
  EXPECT_EQ(read.run(pair, {}), make_error_code(errc::http_bad_framing));
}

TEST(HttpReadHeader, TheEndOfTheStream) {
  {
    Pair pair;
    pair.client.shutdown(tcp::socket::shutdown_send);
    Read read;
    EXPECT_EQ(read.run(pair, {}), http::error::end_of_stream);
  }
  Pair pair;
  pair.send("GET / HTTP/1.1\r\nHost:");
  pair.client.shutdown(tcp::socket::shutdown_send);
  Read read;
  EXPECT_EQ(read.run(pair, {}), http::error::partial_message);
}

TEST(HttpReadHeader, APipelinedHeaderAlreadyReadCompletesFromTheLoop) {
  Pair pair;
  pair.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n");
  Read first;
  EXPECT_FALSE(first.run(pair, {}));
  EXPECT_EQ(first.parser.get().target(), "/a");
  Read second;
  second.buffer = std::move(first.buffer);  // holds /b, read along with /a
  ASSERT_GT(second.buffer.size(), 0u);
  second.start(pair, {});
  EXPECT_FALSE(second.result) << "completed inside the call that started it";
  pair.io.restart();
  pair.io.poll();
  ASSERT_TRUE(second.result);
  EXPECT_FALSE(*second.result);
  EXPECT_EQ(second.parser.get().target(), "/b");
}

}  // namespace
}  // namespace sio::net
