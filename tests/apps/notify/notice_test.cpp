// sio-notify's notification requests: {to, title, body} checked once for the
// POST and the Redis path.
#include "notice.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace {

using namespace notify;

std::variant<Notice, Refusal> parse(std::string_view text, NoticeLimits limits = {}) {
  return parse_notice(boost::json::parse(text), limits);
}

std::string code_of(std::string_view text, NoticeLimits limits = {}) {
  auto r = parse(text, limits);
  if (auto* refusal = std::get_if<Refusal>(&r)) return refusal->code;
  return "ok";
}

TEST(NotifyNotice, Accepts) {
  auto one = std::get<Notice>(parse(R"({"to":"alice","title":"T","body":"B"})"));
  EXPECT_EQ(one.to, std::vector<std::string>{"alice"});
  EXPECT_FALSE(one.everyone);
  EXPECT_EQ(one.title, "T");
  EXPECT_EQ(one.body, "B");
  auto many = std::get<Notice>(parse(R"({"to":["a","b","a"],"title":"T"})"));
  EXPECT_EQ(many.to, (std::vector<std::string>{"a", "b"}));  // each once
  EXPECT_EQ(many.body, "");
  auto all = std::get<Notice>(parse(R"({"to":"*","title":"T","body":null})"));
  EXPECT_TRUE(all.everyone);
  EXPECT_TRUE(all.to.empty());
}

TEST(NotifyNotice, RefusesWithACode) {
  EXPECT_EQ(code_of("[]"), "bad-body");
  EXPECT_EQ(code_of("\"x\""), "bad-body");
  EXPECT_EQ(code_of(R"({"title":"T"})"), "bad-to");
  EXPECT_EQ(code_of(R"({"to":5,"title":"T"})"), "bad-to");
  EXPECT_EQ(code_of(R"({"to":"a b","title":"T"})"), "bad-to");
  EXPECT_EQ(code_of(R"({"to":[],"title":"T"})"), "bad-to");
  EXPECT_EQ(code_of(R"({"to":["*"],"title":"T"})"), "bad-to");  // "*" only on its own
  EXPECT_EQ(code_of(R"({"to":["a",null],"title":"T"})"), "bad-to");
  EXPECT_EQ(code_of(R"({"to":["a","b","c"],"title":"T"})", {.max_recipients = 2}), "too-many-recipients");
  EXPECT_EQ(code_of(R"({"to":"a"})"), "bad-title");
  EXPECT_EQ(code_of(R"({"to":"a","title":""})"), "bad-title");
  EXPECT_EQ(code_of(R"({"to":"a","title":7})"), "bad-title");
  EXPECT_EQ(code_of(R"({"to":"a","title":"abcd"})", {.max_title = 3}), "bad-title");
  EXPECT_EQ(code_of(R"({"to":"a","title":"abc"})", {.max_title = 3}), "ok");
  EXPECT_EQ(code_of(R"({"to":"a","title":"T","body":{}})"), "bad-body");
  EXPECT_EQ(code_of(R"({"to":"a","title":"T","body":"abcd"})", {.max_body = 3}), "bad-body");
  auto r = std::get<Refusal>(parse(R"({"to":"a"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.message.empty());
}

}  // namespace
