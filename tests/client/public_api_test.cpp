// The public client API as a user writes it (the README's example compiles
// here), and what it does without a server: bad arguments are refused at
// once; poll() and run() drive the loop; close() makes run() return.
#include <sio/client.hpp>  // first: the public header stands on its own

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;

// A port nothing listens on: connections are refused at once.
constexpr const char* kDeadUrl = "http://127.0.0.1:1";

TEST(ClientApi, TheReadmeExampleCompiles) {
  sio::Client client(kDeadUrl, {.auth = {{"token", "abc"}}, .reconnection = false});
  auto& chat = client.socket("/chat");
  chat.on("message", [](sio::ClientEvent& ev) { (void)ev.arg(0).json(); });
  chat.emit_with_ack("hello", {"world"}, 5s, [](sio::AckResult r) { (void)r.args; });
  chat.emit("hi", 1, "two", sio::Binary{3}, [](std::error_code, sio::Args) {});
  chat.timeout(1s).emit("q", [](std::error_code, sio::Args) {});
  chat.volatile_().emit("tick");
  EXPECT_EQ(chat.nsp(), "/chat");
  EXPECT_FALSE(chat.connected());
  client.close();
}

TEST(ClientApi, RefusesUnusableArguments) {
  EXPECT_THROW(sio::Client("not a url"), std::invalid_argument);
  EXPECT_THROW(sio::Client("ftp://example.com"), std::invalid_argument);
  sio::ClientOptions none;
  none.transports.clear();
  EXPECT_THROW(sio::Client(kDeadUrl, none), std::invalid_argument);
}

TEST(ClientApi, ReservedEventNamesAreRefused) {
  sio::Client client(kDeadUrl, {.reconnection = false});
  EXPECT_EQ(client.socket().emit("connect"), sio::errc::sio_bad_packet);
  EXPECT_EQ(client.socket().emit("disconnect"), sio::errc::sio_bad_packet);
}

TEST(ClientApi, TheUrlPathIsTheDefaultNamespace) {
  sio::Client client("http://127.0.0.1:1/admin", {.reconnection = false});
  EXPECT_EQ(client.socket().nsp(), "/admin");
  EXPECT_EQ(client.socket("other").nsp(), "/other");
  EXPECT_EQ(&client.socket("/other"), &client.socket("other"));
}

TEST(ClientApi, PollDrivesTheLoopFromTheCallersThread) {
  sio::Client client(kDeadUrl, {.reconnection = false});
  std::atomic<int> errors{0};
  std::string message;
  client.socket().on_connect_error([&](const sio::ConnectError& e) {
    message = e.message;
    ++errors;
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (errors == 0 && std::chrono::steady_clock::now() < deadline) {
    if (client.poll() == 0) std::this_thread::yield();
  }
  ASSERT_EQ(errors, 1);
  EXPECT_FALSE(message.empty());
}

TEST(ClientApi, RunReturnsAfterCloseFromAHandler) {
  sio::Client client(kDeadUrl, {.reconnection = false});
  bool failed = false;
  client.on_error([&](const std::string&) {
    failed = true;
    client.close();
  });
  client.socket();
  client.run();  // returns once close() is done
  EXPECT_TRUE(failed);
  EXPECT_EQ(client.socket().emit("late"), sio::errc::closed);
}

TEST(ClientApi, OfflineBufferCapIsAClearError) {
  sio::ClientOptions o;
  o.reconnection = false;
  o.max_buffered_packets = 2;
  sio::Client client(kDeadUrl, o);
  auto& s = client.socket();
  EXPECT_FALSE(s.emit("a"));
  EXPECT_FALSE(s.emit("b"));
  EXPECT_EQ(s.emit("c"), sio::errc::sio_buffer_full);  // checked on the caller's thread
  EXPECT_FALSE(s.volatile_().emit("v"));              // volatile: dropped, never an error
}

}  // namespace
