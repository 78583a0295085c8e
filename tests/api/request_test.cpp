// The handshake request as hooks and sockets see it, over raw HTTP polling:
// allow_request / initial_headers on the handshake, the `headers` hook and
// CORS on every response (also for the GET/POST of an existing session, whose
// request the server builds only because the hook asks), and the socket's
// handshake reading the shared request. Waits are bounded futures, never sleeps.
#include <sio/server.hpp>

#include <future>
#include <map>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

struct Response {
  int status = 0;
  std::string reason;  // of the status line
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One request on its own connection ("Connection: close"), read to the end.
Response exchange(std::uint16_t port, const std::string& method, const std::string& target,
                  const std::map<std::string, std::string>& headers, const std::string& body = "") {
  asio::io_context ctx;
  tcp::socket s(ctx);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  asio::write(s, asio::buffer(req));
  std::string raw;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(raw), ec);  // to EOF
  Response r;
  const std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  r.reason = raw.substr(13, raw.find("\r\n") - 13);
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    const std::size_t eol = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, eol - pos);
    const std::size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    pos = eol + 2;
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

std::string header_or_none(const Response& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "<none>" : it->second;
}

struct Seen {
  std::string token, origin, url, address;
  bool xdomain = false;
  std::size_t query_size = 0;
};

TEST(Request, HooksCorsAndHandshakeOverPolling) {
  sio::ServerOptions opts;
  opts.port = 0;
  opts.threads = 1;
  opts.engine.cors.enabled = true;
  opts.engine.cors.origins = {"http://allowed.example"};
  opts.engine.allow_request = [](const sio::HttpRequest& req) -> std::optional<std::string> {
    if (req.query_param("token") == "ok") return std::nullopt;
    return std::string("bad token");
  };
  opts.engine.initial_headers = [](const sio::HttpRequest& req, std::map<std::string, std::string>& h) {
    h["X-Initial"] = std::string(req.header("user-agent").value_or("none"));
  };
  opts.engine.headers = [](const sio::HttpRequest& req, std::map<std::string, std::string>& h) {
    h["X-Seen"] = std::string(req.method()) + " " + std::string(req.query_param("sid").value_or("-"));
  };
  sio::Server io(opts);
  std::promise<Seen> seen;
  io.on_connection([&](sio::Socket& s) {
    const sio::Handshake& hs = s.handshake();
    seen.set_value(Seen{std::string(hs.query_param("token").value_or("")), std::string(hs.header("origin").value_or("")),
                        std::string(hs.url()), std::string(hs.address()), hs.xdomain(), hs.query().size()});
  });
  io.start();
  const std::uint16_t port = io.port();
  const std::map<std::string, std::string> origin{{"Origin", "http://allowed.example"}};

  // Refused by allow_request: 403 with the hook's message (and CORS, and the `headers` hook).
  Response r = exchange(port, "GET", "/socket.io/?EIO=4&transport=polling&token=no", origin);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body, R"({"code":4,"message":"bad token"})");
  EXPECT_EQ(header_or_none(r, "access-control-allow-origin"), "http://allowed.example");
  EXPECT_EQ(header_or_none(r, "x-seen"), "GET -");

  // The handshake.
  auto with_agent = origin;
  with_agent["User-Agent"] = "request-test";
  r = exchange(port, "GET", "/socket.io/?EIO=4&transport=polling&token=ok&x=a%20b", with_agent);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(header_or_none(r, "x-initial"), "request-test");
  EXPECT_EQ(header_or_none(r, "x-seen"), "GET -");
  EXPECT_EQ(header_or_none(r, "access-control-allow-origin"), "http://allowed.example");
  const std::size_t at = r.body.find(R"("sid":")");
  ASSERT_NE(at, std::string::npos) << r.body;
  const std::string sid = r.body.substr(at + 7, r.body.find('"', at + 7) - at - 7);
  const std::string session = "/socket.io/?EIO=4&transport=polling&sid=" + sid;

  // A POST and a GET of the session: the hooks see their own request; an
  // origin that is not allowed gets no CORS headers.
  r = exchange(port, "POST", session, {{"Origin", "http://other.example"}, {"Content-Type", "text/plain;charset=UTF-8"}}, "40");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(header_or_none(r, "x-seen"), "POST " + sid);
  EXPECT_EQ(header_or_none(r, "access-control-allow-origin"), "<none>");
  r = exchange(port, "GET", session, origin);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("40{\"sid\":", 0), 0u) << r.body;
  EXPECT_EQ(header_or_none(r, "x-seen"), "GET " + sid);
  EXPECT_EQ(header_or_none(r, "access-control-allow-origin"), "http://allowed.example");

  // The socket's handshake reads the handshake request, not the later ones.
  auto f = seen.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  const Seen s = f.get();
  EXPECT_EQ(s.token, "ok");
  EXPECT_EQ(s.origin, "http://allowed.example");
  EXPECT_EQ(s.url, "/socket.io/?EIO=4&transport=polling&token=ok&x=a%20b");
  EXPECT_EQ(s.address, "127.0.0.1");
  EXPECT_TRUE(s.xdomain);
  EXPECT_EQ(s.query_size, 4u);  // EIO, transport, token, x

  // A preflight echoes the requested headers.
  r = exchange(port, "OPTIONS", session, {{"Origin", "http://allowed.example"}, {"Access-Control-Request-Headers", "x-a"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(header_or_none(r, "access-control-allow-headers"), "x-a");
  EXPECT_EQ(header_or_none(r, "access-control-allow-methods"), "GET,POST");
  io.stop();
}

}  // namespace

// An on_http handler reads a request's body (a JSON POST to the app's own
// route); a GET has none.
TEST(Request, OnHttpSeesTheBody) {
  sio::Server io({.host = "127.0.0.1", .port = 0, .threads = 1});
  io.on_http([](const sio::HttpRequest& req, sio::HttpResponse& res) {
    res.body = std::string(req.method()) + " " + std::string(req.path()) + " [" + std::string(req.body()) + "]";
    return true;
  });
  io.start();
  const std::string json = R"({"to":"alice","title":"hi"})";
  Response r = exchange(io.port(), "POST", "/notify?x=1", {{"Content-Type", "application/json"}}, json);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "POST /notify [" + json + "]");
  r = exchange(io.port(), "GET", "/page", {});
  EXPECT_EQ(r.body, "GET /page []");
  io.stop();
}

// Whatever status an on_http handler answers with goes out with its reason
// phrase (it was "Unknown" for those the engine itself never sends).
TEST(Request, OnHttpStatusesHaveTheirReasonPhrase) {
  sio::Server io({.host = "127.0.0.1", .port = 0, .threads = 1});
  io.on_http([](const sio::HttpRequest& req, sio::HttpResponse& res) {
    res.status = std::stoi(std::string(req.path().substr(1)));
    return true;
  });
  io.start();
  const std::map<int, std::string> want{{201, "Created"}, {202, "Accepted"}, {401, "Unauthorized"},
                                        {415, "Unsupported Media Type"}, {429, "Too Many Requests"},
                                        {404, "Not Found"}, {299, "Unknown"}};
  for (const auto& [status, reason] : want) {
    Response r = exchange(io.port(), "GET", "/" + std::to_string(status), {});
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.reason, reason) << status;
  }
  io.stop();
}
