#include <gtest/gtest.h>

#include "transport/polling.hpp"
#include "transport/websocket.hpp"

namespace sio::transport {
namespace {

using engine::OutMessage;

TEST(Polling, MessagesWaitForAGetThenGoInOnePayload) {
  Polling p(1 << 20);
  ASSERT_TRUE(p.push(OutMessage::text("hello")));
  ASSERT_TRUE(p.push(OutMessage::binary_data(std::string_view("\x01\x02\x03", 3))));
  ASSERT_TRUE(p.push(OutMessage::text("")));
  EXPECT_FALSE(p.ready());
  EXPECT_FALSE(p.writable());
  ASSERT_TRUE(p.on_get());
  EXPECT_TRUE(p.ready());
  EXPECT_EQ(p.take_payload(), "4hello\x1e" "bAQID\x1e" "4");
  EXPECT_FALSE(p.get_pending());
  EXPECT_EQ(p.queued(), 0u);
}

TEST(Polling, CompressibleWhenAnyMessageAllowsCompression) {
  Polling p(1 << 20);
  EXPECT_FALSE(p.compressible());
  OutMessage quiet = OutMessage::text("x");
  quiet.compress = false;  // emitted with compress(false)
  ASSERT_TRUE(p.push(quiet));
  EXPECT_FALSE(p.compressible());
  ASSERT_TRUE(p.push(OutMessage::text("y")));  // compress on: the default
  EXPECT_TRUE(p.compressible());
  ASSERT_TRUE(p.on_get());
  p.take_payload();
  EXPECT_FALSE(p.compressible());
}

TEST(Polling, AWaitingGetWithNothingQueuedIsWritable) {
  Polling p(1 << 20);
  ASSERT_TRUE(p.on_get());
  EXPECT_FALSE(p.ready());
  EXPECT_TRUE(p.writable());
}

TEST(Polling, SecondConcurrentGetIsAnOverlap) {
  Polling p(1 << 20);
  ASSERT_TRUE(p.on_get());
  EXPECT_FALSE(p.on_get());
  p.on_get_aborted();
  EXPECT_TRUE(p.on_get());
}

TEST(Polling, QueuePastTheCapIsRefusedAndDropped) {
  Polling p(10);
  ASSERT_TRUE(p.push(OutMessage::text("12345")));
  EXPECT_FALSE(p.push(OutMessage::text("67890")));
  EXPECT_EQ(p.queued(), 0u);
  EXPECT_EQ(p.queued_bytes(), 0u);
}

TEST(Polling, TakeQueueHandsOverInOrder) {
  Polling p(1 << 20);
  p.push(OutMessage::text("a"));
  p.push(OutMessage::text("b"));
  auto q = p.take_queue();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].bytes.view(), "4a");
  EXPECT_EQ(q[1].bytes.view(), "4b");
  EXPECT_EQ(p.queued_bytes(), 0u);
}

TEST(WebSocketTransport, TextFramesArePacketsBinaryFramesAreMessages) {
  wire::eio::Packet pk;
  ASSERT_TRUE(decode_websocket_message("2probe", false, pk));
  EXPECT_EQ(pk.type, wire::eio::PacketType::ping);
  EXPECT_EQ(pk.data, "probe");
  ASSERT_TRUE(decode_websocket_message("\x04\x05", true, pk));
  EXPECT_EQ(pk.type, wire::eio::PacketType::message);
  EXPECT_TRUE(pk.binary);
  EXPECT_FALSE(decode_websocket_message("", false, pk));
  EXPECT_FALSE(decode_websocket_message("9x", false, pk));
}

}  // namespace
}  // namespace sio::transport
