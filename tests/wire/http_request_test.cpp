// sio::HttpRequest: the compact request and its builder.
#include <sio/http_request.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using sio::HttpRequest;

namespace {

std::vector<std::pair<std::string, std::string>> all(HttpRequest::Fields f) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto [k, v] : f) out.emplace_back(k, v);
  return out;
}

}  // namespace

TEST(HttpRequest, EmptyByDefault) {
  HttpRequest r;
  EXPECT_EQ(r.method(), "");
  EXPECT_EQ(r.url(), "");
  EXPECT_TRUE(r.headers().empty());
  EXPECT_TRUE(r.query().empty());
  EXPECT_EQ(r.header("host"), std::nullopt);
  EXPECT_FALSE(r.secure());
}

TEST(HttpRequest, TargetGivesPathAndDecodedQuery) {
  const HttpRequest r = HttpRequest::Builder()
                            .method("GET")
                            .target("/socket.io%2Fx/?EIO=4&transport=polling&name=a+b%21&t=1&t=2")
                            .remote_address("10.0.0.7")
                            .secure(true)
                            .build();
  EXPECT_EQ(r.method(), "GET");
  EXPECT_EQ(r.url(), "/socket.io%2Fx/?EIO=4&transport=polling&name=a+b%21&t=1&t=2");
  EXPECT_EQ(r.path(), "/socket.io/x/");
  EXPECT_EQ(r.remote_address(), "10.0.0.7");
  EXPECT_TRUE(r.secure());
  EXPECT_EQ(r.query_param("name"), "a b!");
  EXPECT_EQ(r.query_param("t"), "1");  // the first of a repeated parameter
  EXPECT_EQ(r.query().count("t"), 2u);
  EXPECT_EQ(r.query().size(), 5u);
  EXPECT_EQ(r.query_param("missing"), std::nullopt);
}

TEST(HttpRequest, HeadersAreLowerCasedInOrderFirstWins) {
  const HttpRequest r = HttpRequest::Builder()
                            .header("Host", "example.com")
                            .header("X-Token", "")
                            .header("ORIGIN", "http://a")
                            .header("origin", "http://b")
                            .build();
  const std::vector<std::pair<std::string, std::string>> want{
      {"host", "example.com"}, {"x-token", ""}, {"origin", "http://a"}};
  EXPECT_EQ(all(r.headers()), want);
  EXPECT_EQ(r.header("x-token"), "");  // present and empty is not absent
  EXPECT_EQ(r.header("Host"), std::nullopt);  // lookups take lower-case names
}

TEST(HttpRequest, LongFieldsAndBinaryBytes) {
  const std::string big(70000, 'v');  // lengths past one varint byte, and past 16 bits
  const std::string odd("a\0b", 3);
  const HttpRequest r = HttpRequest::Builder().header("x-big", big).query_param(odd, odd).query_param("k", "v").build();
  EXPECT_EQ(r.header("x-big"), big);
  EXPECT_EQ(r.query_param(odd), odd);
  EXPECT_EQ(r.query_param("k"), "v");
}

TEST(HttpRequest, CopiesAreIndependent) {
  HttpRequest a = HttpRequest::Builder().method("POST").header("a", "1").build();
  HttpRequest b = a;
  a = HttpRequest::Builder().method("GET").build();
  EXPECT_EQ(b.method(), "POST");
  EXPECT_EQ(b.header("a"), "1");
  EXPECT_TRUE(a.headers().empty());
}

TEST(HttpRequest, BodyComesAfterTheQueryAndIsEmptyByDefault) {
  const HttpRequest r =
      HttpRequest::Builder().method("POST").target("/notify?a=1&b=2").header("x", "y").body("{\"k\":1}").build();
  EXPECT_EQ(r.body(), "{\"k\":1}");
  EXPECT_EQ(r.query().size(), 2u);  // the body is not read as a query field
  EXPECT_EQ(r.query_param("b"), "2");
  EXPECT_EQ(r.header("x"), "y");
  EXPECT_EQ(HttpRequest::Builder().target("/?a=1").build().body(), "");
  EXPECT_EQ(HttpRequest().body(), "");
}
