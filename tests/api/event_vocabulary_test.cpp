// One vocabulary on both sides: sio::Event (server) and sio::ClientEvent
// (client) are one template, sio::BasicEvent, answering through one type,
// sio::Ack. The same generic handler serves a server and a client, and an
// Ack kept for later answers once, from any thread, on either side.
#include <sio/client.hpp>
#include <sio/server.hpp>

#include <future>
#include <string>
#include <thread>
#include <type_traits>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

static_assert(std::is_same_v<sio::Event, sio::BasicEvent<sio::Socket>>);
static_assert(std::is_same_v<sio::ClientEvent, sio::BasicEvent<sio::ClientSocket>>);
static_assert(std::is_same_v<decltype(std::declval<sio::Event&>().ack_handle()), const sio::Ack&>);
static_assert(std::is_same_v<decltype(std::declval<sio::ClientEvent&>().ack_handle()), const sio::Ack&>);
static_assert(std::is_same_v<decltype(std::declval<sio::ClientEvent&>().socket()), sio::ClientSocket&>);
static_assert(std::is_same_v<decltype(std::declval<sio::Event&>().socket()), sio::Socket&>);

template <class T>
T wait_for(std::future<T>& f) {
  if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("timed out");
  return f.get();
}

// Written once, used by the server and by the client: answers "<side>:<name>"
// and how many arguments came, from another thread, twice (the second answer
// must be dropped).
template <class Ev>
void answer_later(Ev& ev, std::string side) {
  sio::Ack ack = ev.ack_handle();
  EXPECT_TRUE(ev.wants_ack());
  std::thread([ack, reply = side + ":" + ev.name(), n = ev.size()] {
    ack(reply, n);
    EXPECT_FALSE(ack.pending());
    ack("a second answer");
  }).join();
  EXPECT_FALSE(ev.wants_ack());
}

TEST(EventVocabulary, OneHandlerAndOneAckTypeServeBothSides) {
  sio::Server io({.port = 0, .threads = 1});
  std::promise<std::string> server_heard;
  io.on_connection([&](sio::Socket& socket) {
    socket.on("ping", [](sio::Event& ev) { answer_later(ev, "server"); });
    socket.on("start", [&socket, &server_heard](sio::Event&) {
      socket.timeout(5s).emit("ping", 1, 2, [&server_heard](std::error_code ec, sio::Args reply) {
        server_heard.set_value(ec ? ec.message()
                                  : std::string(reply.at(0).json().as_string()) + " " +
                                        std::to_string(reply.at(1).json().as_int64()));
      });
    });
  });
  io.start();

  sio::Client client("http://127.0.0.1:" + std::to_string(io.port()), {.reconnection = false});
  auto& s = client.socket();
  s.on("ping", [](sio::ClientEvent& ev) { answer_later(ev, "client"); });
  std::promise<std::string> client_heard;
  s.emit_with_ack("ping", {"a"}, 5s, [&](sio::AckResult r) {
    client_heard.set_value(r ? std::string(r.args.at(0).json().as_string()) + " " +
                                   std::to_string(r.args.at(1).json().as_int64()) + " of " +
                                   std::to_string(r.args.size())
                             : r.error.message());
  });
  client.run_in_background();
  auto c = client_heard.get_future();
  EXPECT_EQ(wait_for(c), "server:ping 1 of 2");
  s.emit("start");
  auto h = server_heard.get_future();
  EXPECT_EQ(wait_for(h), "client:ping 2");

  client.close();
  io.stop();
}

}  // namespace
