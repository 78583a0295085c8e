// Query strings: decoding and lookup without a map.
#include "wire/query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace sio::wire;

TEST(Query, PercentDecoding) {
  std::string out;
  percent_decode_append(out, "a%20b+c%2B%zz%4", true);
  EXPECT_EQ(out, "a b c+%zz%4");  // malformed escapes are kept as written
  out.clear();
  percent_decode_append(out, "/a+b/%C3%A9", false);
  EXPECT_EQ(out, "/a+b/\xC3\xA9");  // '+' is literal in a path
}

TEST(Query, SplitTarget) {
  auto t = split_target("/socket.io/?EIO=4&sid=x#frag");
  EXPECT_EQ(t.path, "/socket.io/");
  EXPECT_EQ(t.query, "EIO=4&sid=x");
  t = split_target("/plain");
  EXPECT_EQ(t.path, "/plain");
  EXPECT_TRUE(t.query.empty());
}

TEST(Query, ForEachParamDecodesAndSkipsEmptyPieces) {
  std::vector<std::pair<std::string, std::string>> got;
  for_each_query_param("a=1&&b&c=x%20y&a=2&=z", [&](std::string_view k, std::string_view v) {
    got.emplace_back(k, v);
  });
  const std::vector<std::pair<std::string, std::string>> want{{"a", "1"}, {"b", ""}, {"c", "x y"}, {"a", "2"}, {"", "z"}};
  EXPECT_EQ(got, want);
}

TEST(Query, ValueOfTheFirstMatchingName) {
  EXPECT_EQ(query_value("EIO=4&transport=polling&sid=ab-_c", "sid"), "ab-_c");
  EXPECT_EQ(query_value("sid=1&sid=2", "sid"), "1");
  EXPECT_EQ(query_value("%73id=x", "sid"), "x");  // names are compared decoded
  EXPECT_EQ(query_value("sid", "sid"), "");       // present, empty
  EXPECT_EQ(query_value("side=1&xsid=2", "sid"), std::nullopt);
  EXPECT_EQ(query_value("", "sid"), std::nullopt);
}
