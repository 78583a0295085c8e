// The library's log lines (include/sio/log.hpp): JSON with every field and
// the escapes JSON needs, text with name=value pairs, the level threshold.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include <sio/log.hpp>

#include "wire/log_fields.hpp"

namespace sio {
namespace {

struct Logging : ::testing::Test {
  ~Logging() override { configure_logging({}); }
};

TEST_F(Logging, JsonLinesCarryTheFieldsEscaped) {
  configure_logging({.level = LogLevel::debug, .format = LogFormat::json});
  testing::internal::CaptureStderr();
  log(LogLevel::info, "said \"hi\"\n\tback\\slash \x01", {{"sid", "abc"}, {"k\"ey", "v\x1f"}});
  const std::string out = testing::internal::GetCapturedStderr();
  ASSERT_EQ(out.back(), '\n');
  ASSERT_EQ(out.find('\n'), out.size() - 1);  // one line
  const auto v = boost::json::parse(out).as_object();
  EXPECT_EQ(v.at("level").as_string(), "info");
  EXPECT_EQ(v.at("msg").as_string(), "said \"hi\"\n\tback\\slash \x01");
  EXPECT_EQ(v.at("sid").as_string(), "abc");
  EXPECT_EQ(v.at("k\"ey").as_string(), "v\x1f");
  EXPECT_EQ(v.at("time").as_string().size(), 24u);  // 2026-12-03T18:10:00.123Z
}

TEST_F(Logging, TheLibrarysOwnRecordsTakeTheScopesFields) {
  configure_logging({.level = LogLevel::debug, .format = LogFormat::text});
  testing::internal::CaptureStderr();
  {
    wire::LogFields f{{"sid", "s1"}, {"reason", "ping timeout"}};
    spdlog::debug("session closed");
  }
  spdlog::info("no fields");
  const std::string out = testing::internal::GetCapturedStderr();
  EXPECT_NE(out.find("[debug] session closed sid=s1 reason=ping timeout\n"), std::string::npos) << out;
  EXPECT_NE(out.find("[info] no fields\n"), std::string::npos) << out;
}

TEST_F(Logging, BelowTheLevelNothingIsWritten) {
  configure_logging({.level = LogLevel::warn, .format = LogFormat::json});
  EXPECT_FALSE(log_enabled(LogLevel::info));
  EXPECT_TRUE(log_enabled(LogLevel::error));
  testing::internal::CaptureStderr();
  log(LogLevel::info, "quiet");
  spdlog::debug("quiet too");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  configure_logging({.level = LogLevel::off});
  EXPECT_FALSE(log_enabled(LogLevel::error));
}

TEST(LogNames, ParseLevelsAndFormats) {
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_log_format("json"), LogFormat::json);
  EXPECT_EQ(parse_log_format("xml"), std::nullopt);
}

}  // namespace
}  // namespace sio
