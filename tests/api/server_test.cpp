// sio::Server end to end, on real sockets: the README's example, verbatim
// but for the port, driven by two C++ clients (sio::Client); start() / stop()
// and the background thread. Waits are bounded futures, never sleeps.
#include <sio/client.hpp>
#include <sio/server.hpp>

#include <future>
#include <string>

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;

template <class T>
T wait_for(std::future<T>& f) {
  if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("timed out");
  return f.get();
}

std::string url_of(const sio::Server& io) { return "http://127.0.0.1:" + std::to_string(io.port()); }

TEST(Server, TheReadmeExample) {
  sio::Server io({.port = 0});
  io.on_connection([&](sio::Socket& socket) {
    socket.join("lobby");
    socket.on("chat", [&](sio::Event& ev) {
      io.to("lobby").except(socket.id()).emit("chat", ev.arg(0));
      ev.ack("delivered");
    });
  });
  io.start();

  sio::ClientOptions opts;
  opts.reconnection = false;
  sio::Client alice(url_of(io), opts), bob(url_of(io), opts);
  std::promise<void> alice_in, bob_in;
  std::promise<std::string> bob_got;
  std::promise<std::string> alice_ack;
  std::promise<std::string> alice_got;  // must stay unset: the sender is excepted
  auto& a = alice.socket("/");
  auto& b = bob.socket("/");
  a.on_connect([&] { alice_in.set_value(); });
  b.on_connect([&] { bob_in.set_value(); });
  b.on("chat", [&](sio::ClientEvent& ev) { bob_got.set_value(std::string(ev.arg(0).json().as_string())); });
  a.on("chat", [&](sio::ClientEvent& ev) { alice_got.set_value(std::string(ev.arg(0).json().as_string())); });
  alice.run_in_background();
  bob.run_in_background();
  auto f1 = alice_in.get_future(), f2 = bob_in.get_future();
  wait_for(f1);
  wait_for(f2);

  a.emit("chat", "hello", [&](std::error_code ec, sio::Args reply) {
    alice_ack.set_value(ec ? ec.message() : std::string(reply.at(0).json().as_string()));
  });
  auto got = bob_got.get_future();
  auto ack = alice_ack.get_future();
  EXPECT_EQ(wait_for(got), "hello");
  EXPECT_EQ(wait_for(ack), "delivered");
  // Alice's own message did not come back to her: a second one, to her alone,
  // arrives first (a connection delivers in order).
  io.to(a.id()).emit("chat", "only-alice");
  auto own = alice_got.get_future();
  EXPECT_EQ(wait_for(own), "only-alice");

  alice.close();
  bob.close();
  io.stop();
}

TEST(Server, StopEndsRunAndDisconnectsClients) {
  sio::Server io({.port = 0, .threads = 2});
  EXPECT_EQ(io.loop_count(), 2u);
  std::promise<sio::DisconnectReason> reason;
  io.on_connection([&](sio::Socket& s) { s.on_disconnect([&](sio::DisconnectReason r) { reason.set_value(r); }); });
  std::promise<void> ran;
  std::thread runner([&] {
    io.run();
    ran.set_value();
  });

  sio::ClientOptions opts;
  opts.reconnection = false;
  opts.transports = {sio::ClientTransport::websocket};
  sio::Client c(url_of(io), opts);
  std::promise<void> in;
  c.socket("/").on_connect([&] { in.set_value(); });
  c.run_in_background();
  auto connected = in.get_future();
  wait_for(connected);

  io.close();
  auto r = reason.get_future();
  EXPECT_EQ(wait_for(r), sio::DisconnectReason::server_shutting_down);
  auto done = ran.get_future();
  wait_for(done);
  runner.join();
  c.close();
}

}  // namespace
