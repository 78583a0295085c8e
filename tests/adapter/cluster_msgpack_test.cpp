// The JavaScript-value <-> MessagePack codec against notepack.io's own bytes
// (vectors/notepack_values.json).
#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "adapter/cluster/msgpack_value.hpp"
#include "cluster_vectors.hpp"

namespace sio::adapter::cluster {
namespace {
namespace json = boost::json;
using test::from_hex;
using test::json_text;
using test::to_hex;

const json::array& vectors() {
  static const json::value v = test::load_vectors("notepack_values.json");
  return v.get_array();
}

Attachments attachments_of(const json::object& vec) {
  Attachments att;
  for (const auto& h : vec.at("attachments").get_array()) att.push_back(from_hex(h.get_string()));
  return att;
}

TEST(ClusterMsgpack, VectorsArePresent) { EXPECT_GE(vectors().size(), 40u); }

TEST(ClusterMsgpack, DecodesWhatNotepackWrote) {
  for (const auto& e : vectors()) {
    const auto& vec = e.get_object();
    SCOPED_TRACE(std::string(vec.at("name").get_string()));
    const std::string bytes = from_hex(vec.at("hex").get_string());
    const char* p = bytes.data();
    Attachments att;
    std::error_code ec;
    auto v = decode_msgpack(&p, bytes.data() + bytes.size(), att, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(p, bytes.data() + bytes.size());
    EXPECT_EQ(json_text(v.value_or(nullptr)), json_text(vec.at("json")));
    EXPECT_EQ(att, attachments_of(vec));
  }
}

TEST(ClusterMsgpack, EncodesTheBytesNotepackWrites) {
  int checked = 0;
  for (const auto& e : vectors()) {
    const auto& vec = e.get_object();
    if (vec.contains("decodeOnly")) continue;
    SCOPED_TRACE(std::string(vec.at("name").get_string()));
    std::string out;
    append_msgpack(out, vec.at("json"), attachments_of(vec));
    EXPECT_EQ(to_hex(out), vec.at("hex").get_string());
    ++checked;
  }
  EXPECT_GE(checked, 30);
}

TEST(ClusterMsgpack, DoubleThatIsIntegralTakesTheIntegerForm) {
  std::string out;
  append_msgpack(out, json::value(3.0), {});
  append_msgpack(out, json::value(-70000.0), {});
  append_msgpack(out, json::value(-0.0), {});
  EXPECT_EQ(to_hex(out), "03d2fffeee90" "00");
}

TEST(ClusterMsgpack, PlaceholderWithBadNumIsWrittenAsAnObject) {
  std::string out;
  json::value v = {{"_placeholder", true}, {"num", 3}};
  append_msgpack(out, v, {"x"});
  EXPECT_EQ(out[0], '\x82');  // fixmap of 2, not bin
}

TEST(ClusterMsgpack, RejectsTruncatedAndTrailingInput) {
  for (const char* h : {"92a161", "d9", "c403aabb", "", "dc0001"}) {
    const std::string bytes = from_hex(h);
    const char* p = bytes.data();
    Attachments att;
    std::error_code ec;
    EXPECT_FALSE(decode_msgpack(&p, bytes.data() + bytes.size(), att, ec).has_value()) << h;
    EXPECT_EQ(ec, make_error_code(errc::cluster_bad_message)) << h;
  }
  const std::string trailing = "\x01\x02";
  EXPECT_FALSE(msgpack_valid(trailing.data(), trailing.data() + trailing.size()));
}

TEST(ClusterMsgpack, RejectsCountsLargerThanTheInput) {
  // map 32 / array 32 claiming ~1.8e9 entries: msgpuck's mp_check overflows
  // on such counts; ours must refuse them without reading or allocating.
  for (const char* h : {"df6f707473a161c0", "dd6f707473c0", "92dfffffffff", "c6ffffffff00"}) {
    const std::string bytes = from_hex(h);
    const char* p = bytes.data();
    Attachments att;
    std::error_code ec;
    EXPECT_FALSE(decode_msgpack(&p, bytes.data() + bytes.size(), att, ec).has_value()) << h;
    EXPECT_TRUE(ec) << h;
  }
}

TEST(ClusterMsgpack, RejectsNestingDeeperThanTheJsonLimit) {
  std::string deep(wire::socketio::kMaxJsonDepth + 2, '\x91');
  deep.push_back('\xc0');
  const char* p = deep.data();
  Attachments att;
  std::error_code ec;
  EXPECT_FALSE(decode_msgpack(&p, deep.data() + deep.size(), att, ec).has_value());
  EXPECT_TRUE(ec);
}

TEST(ClusterMsgpack, DatesReadAsDateToJSON) {
  EXPECT_EQ(json_text(js_date_json(0)), R"("1970-01-01T00:00:00.000Z")");
  EXPECT_EQ(json_text(js_date_json(-1)), R"("1969-12-31T23:59:59.999Z")");
  EXPECT_EQ(json_text(js_date_json(253402300800000.0)), R"("+010000-01-01T00:00:00.000Z")");
  EXPECT_EQ(json_text(js_date_json(9e15)), "null");
}

}  // namespace
}  // namespace sio::adapter::cluster
