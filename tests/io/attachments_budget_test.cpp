// Binary attachments awaiting the rest of their packet are held against the
// server-wide inbound budget (EngineOptions::max_inbound_buffered): a client
// whose attachments would pass it is closed instead of buffered, and the
// bytes come back once a packet is whole or its connection is gone.
#include <gtest/gtest.h>

#include <string>

#include "engine/inbound_budget.hpp"
#include "io/io_fixture.hpp"

namespace sio::test {
namespace {

constexpr std::string_view kTwoAttachments =
    R"(52-["upload",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])";

struct AttachmentsBudget : IoTest {
  engine::InboundBudget budget{10'000, 2};
  int uploads = 0;

  AttachmentsBudget() {
    core.set_inbound_budget(&budget);
    of("/").on_connection([this](Socket& s) { s.on("upload", [this](Event&) { ++uploads; }); });
  }
  std::unique_ptr<Peer> peer(FakeLoop& loop, std::string sid) {
    auto p = std::make_unique<Peer>(core, loop, std::move(sid));
    EXPECT_FALSE(connect(*p).empty());
    return p;
  }
};

TEST_F(AttachmentsBudget, HeldUntilThePacketIsWhole) {
  auto a = peer(l0, "a");
  a->send(kTwoAttachments);
  a->send_binary(std::string(4000, 'a'));
  EXPECT_EQ(budget.used(), kTwoAttachments.size() + 4000);
  a->send_binary(std::string(4000, 'b'));
  EXPECT_EQ(uploads, 1);
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_FALSE(a->closed());
}

TEST_F(AttachmentsBudget, PastTheBudgetTheConnectionIsClosed) {
  auto a = peer(l0, "a");
  auto b = peer(l1, "b");
  a->send(kTwoAttachments);
  a->send_binary(std::string(6000, 'a'));  // a waits for its second attachment
  b->send(kTwoAttachments);
  b->send_binary(std::string(6000, 'b'));  // 12 KB in all: past 10 KB
  EXPECT_TRUE(b->closed());
  EXPECT_FALSE(a->closed());
  EXPECT_EQ(budget.used(), kTwoAttachments.size() + 6000);  // b's bytes are back
  a->send_binary("end");
  EXPECT_EQ(uploads, 1);
  EXPECT_EQ(budget.used(), 0u);
}

TEST_F(AttachmentsBudget, AConnectionThatGoesAwayGivesItsBytesBack) {
  auto a = peer(l0, "a");
  a->send(kTwoAttachments);
  a->send_binary(std::string(5000, 'a'));
  EXPECT_GT(budget.used(), 5000u);
  a->drop(engine::CloseReason::transport_close);
  EXPECT_EQ(budget.used(), 0u);
}

}  // namespace
}  // namespace sio::test
