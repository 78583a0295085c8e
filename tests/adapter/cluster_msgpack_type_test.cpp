// msgpack_type(): the MessagePack type of every possible first byte is the
// one msgpuck's own mp_typeof() gives (its table in libmsgpuck.a, which the
// library no longer links: see adapter/cluster/msgpack_type.hpp).
#include "adapter/cluster/msgpack_type.hpp"

#include <gtest/gtest.h>

namespace {

using sio::adapter::cluster::msgpack_type;

TEST(ClusterMsgpackType, EveryFirstByteAsMsgpuckTypesIt) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    EXPECT_EQ(msgpack_type(c), mp_typeof(c)) << "first byte 0x" << std::hex << b;
  }
}

TEST(ClusterMsgpackType, TheSpecsFormats) {
  static_assert(msgpack_type('\x00') == MP_UINT && msgpack_type('\x7f') == MP_UINT);
  static_assert(msgpack_type('\x80') == MP_MAP && msgpack_type('\xde') == MP_MAP);
  static_assert(msgpack_type('\x90') == MP_ARRAY && msgpack_type('\xdc') == MP_ARRAY);
  static_assert(msgpack_type('\xa0') == MP_STR && msgpack_type('\xd9') == MP_STR);
  static_assert(msgpack_type('\xc0') == MP_NIL);
  static_assert(msgpack_type('\xc3') == MP_BOOL);
  static_assert(msgpack_type('\xc4') == MP_BIN);
  static_assert(msgpack_type('\xca') == MP_FLOAT && msgpack_type('\xcb') == MP_DOUBLE);
  static_assert(msgpack_type('\xd3') == MP_INT && msgpack_type('\xff') == MP_INT);
  static_assert(msgpack_type('\xc1') == MP_EXT && msgpack_type('\xd8') == MP_EXT);
  SUCCEED();
}

}  // namespace
