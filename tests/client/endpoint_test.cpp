// Server URLs taken apart, and the request targets built from them.
#include "net/client/endpoint.hpp"

#include <gtest/gtest.h>

namespace sio::net::client {
namespace {

ServerUrl parse(std::string_view s) {
  std::string error;
  auto u = parse_server_url(s, error);
  EXPECT_TRUE(u) << s << ": " << error;
  return u.value_or(ServerUrl{});
}

TEST(Endpoint, PlainUrlDefaults) {
  const auto u = parse("http://localhost:3000");
  EXPECT_FALSE(u.secure);
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 3000);
  EXPECT_EQ(u.nsp, "/");
  EXPECT_TRUE(u.query.empty());
}

TEST(Endpoint, SchemesAndDefaultPorts) {
  EXPECT_EQ(parse("http://a").port, 80);
  EXPECT_EQ(parse("ws://a").port, 80);
  EXPECT_TRUE(parse("https://a").secure);
  EXPECT_EQ(parse("https://a").port, 443);
  EXPECT_TRUE(parse("wss://a").secure);
}

TEST(Endpoint, PathIsTheNamespaceAndQueryIsKept) {
  const auto u = parse("https://example.com/chat?x=1&y=a%20b");
  EXPECT_EQ(u.nsp, "/chat");
  EXPECT_EQ(u.query, "x=1&y=a%20b");
}

TEST(Endpoint, Ipv6Host) {
  const auto u = parse("ws://[::1]:8080/");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 8080);
  Endpoint ep;
  ep.host = u.host;
  ep.port = u.port;
  EXPECT_EQ(ep.host_header(), "[::1]:8080");
}

TEST(Endpoint, RefusesWhatItCannotUse) {
  std::string error;
  EXPECT_FALSE(parse_server_url("ftp://example.com", error));
  EXPECT_NE(error.find("scheme"), std::string::npos);
  EXPECT_FALSE(parse_server_url("not a url", error));
  EXPECT_FALSE(parse_server_url("http://example.com:0", error));
}

TEST(Endpoint, HostHeaderOmitsTheDefaultPort) {
  Endpoint ep;
  ep.host = "example.com";
  ep.port = 80;
  EXPECT_EQ(ep.host_header(), "example.com");
  ep.secure = true;
  EXPECT_EQ(ep.host_header(), "example.com:80");
  ep.port = 443;
  EXPECT_EQ(ep.host_header(), "example.com");
}

TEST(Endpoint, EngineTarget) {
  Endpoint ep;
  ep.path = "/socket.io/";
  ep.query = "token=a%20b";
  EXPECT_EQ(engine_target(ep, "websocket", "", false), "/socket.io/?EIO=4&transport=websocket&token=a%20b");
  EXPECT_EQ(engine_target(ep, "polling", "s+d", false), "/socket.io/?EIO=4&transport=polling&sid=s%2Bd&token=a%20b");
  const auto a = engine_target(ep, "polling", "", true);
  const auto b = engine_target(ep, "polling", "", true);
  EXPECT_NE(a.find("&t="), std::string::npos);
  EXPECT_NE(a, b);  // no cache may answer a poll
}

TEST(Endpoint, QueryEscape) {
  EXPECT_EQ(query_escape("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(query_escape("AZaz09-_.~"), "AZaz09-_.~");
}

}  // namespace
}  // namespace sio::net::client
