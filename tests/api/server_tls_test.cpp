// sio::Server with TLS (EngineOptions::tls), end to end on real sockets with
// our C++ client trusting the test's own CA: https polling upgraded to wss,
// wss alone, events with acks and binary; a bad file at construction and at
// reload_tls() (the old certificate stays, the server goes on).
#include <sio/client.hpp>
#include <sio/error.hpp>
#include <sio/server.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "net/tls_test_pki.hpp"

namespace {

using namespace std::chrono_literals;

template <class T>
T wait_for(std::future<T>& f) {
  if (f.wait_for(10s) != std::future_status::ready) throw std::runtime_error("timed out");
  return f.get();
}

const sio::net::test::Pki& pki() {
  static const sio::net::test::Pki p;
  return p;
}

sio::ServerOptions tls_options() {
  sio::ServerOptions o{.port = 0, .threads = 2};
  o.engine.tls.cert_file = pki().server_cert;
  o.engine.tls.key_file = pki().server_key;
  return o;
}

// The server's side of one echo: the transport the socket uses when the
// event arrives, and the event's arguments acked back.
void serve_echo(sio::Server& io, std::promise<std::string>& transport) {
  io.on_connection([&](sio::Socket& socket) {
    socket.on("echo", [&](sio::Event& ev) {
      transport.set_value(std::string(socket.transport()));
      ev.ack_args(ev.args());
    });
  });
}

// Connects over `transports`, waits until `ready` says the client is where it
// should be, emits "echo" with text and binary, returns the ack's arguments.
std::pair<std::string, std::vector<std::uint8_t>> echo_over_tls(sio::Server& io,
                                                                std::vector<sio::ClientTransport> transports) {
  sio::ClientOptions opts;
  opts.reconnection = false;
  opts.transports = std::move(transports);
  opts.tls.ca_file = pki().ca_cert;
  sio::Client client("https://127.0.0.1:" + std::to_string(io.port()), opts);
  std::promise<void> in;
  std::promise<std::pair<std::string, std::vector<std::uint8_t>>> acked;
  auto& s = client.socket("/");
  s.on_connect([&] { in.set_value(); });
  // With polling first: emitted once upgraded, so the event goes over wss.
  const bool upgrade = opts.transports.size() == 2;
  std::promise<std::string> upgraded;
  if (upgrade) client.on_upgrade([&](const std::string& t) { upgraded.set_value(t); });
  client.run_in_background();
  auto f = in.get_future();
  wait_for(f);
  if (upgrade) {
    auto u = upgraded.get_future();
    EXPECT_EQ(wait_for(u), "websocket");
  }
  s.emit("echo", "over tls", sio::Binary{1, 2, 3}, [&](std::error_code ec, sio::Args reply) {
    if (ec || reply.size() != 2) return acked.set_value({"error: " + ec.message(), {}});
    const sio::Binary bin = reply.at(1).as_binary();
    acked.set_value({std::string(reply.at(0).json().as_string()),
                     std::vector<std::uint8_t>(bin.data(), bin.data() + bin.size())});
  });
  auto a = acked.get_future();
  auto got = wait_for(a);
  client.close();
  return got;
}

TEST(ServerTls, PollingUpgradedToWssCarriesEventsAcksAndBinary) {
  sio::Server io(tls_options());
  std::promise<std::string> transport;
  serve_echo(io, transport);
  io.start();
  const auto got = echo_over_tls(io, {sio::ClientTransport::polling, sio::ClientTransport::websocket});
  EXPECT_EQ(got.first, "over tls");
  EXPECT_EQ(got.second, (std::vector<std::uint8_t>{1, 2, 3}));
  auto t = transport.get_future();
  EXPECT_EQ(wait_for(t), "websocket");  // the socket moved from https polling to wss
  io.stop();
}

TEST(ServerTls, WssAlone) {
  sio::Server io(tls_options());
  std::promise<std::string> transport;
  serve_echo(io, transport);
  io.start();
  const auto got = echo_over_tls(io, {sio::ClientTransport::websocket});
  EXPECT_EQ(got.first, "over tls");
  EXPECT_EQ(got.second, (std::vector<std::uint8_t>{1, 2, 3}));
  auto t = transport.get_future();
  EXPECT_EQ(wait_for(t), "websocket");
  io.stop();
}

TEST(ServerTls, PollingAlone) {
  sio::Server io(tls_options());
  std::promise<std::string> transport;
  serve_echo(io, transport);
  io.start();
  const auto got = echo_over_tls(io, {sio::ClientTransport::polling});
  EXPECT_EQ(got.first, "over tls");
  auto t = transport.get_future();
  EXPECT_EQ(wait_for(t), "polling");
  io.stop();
}

TEST(ServerTls, AMissingFileFailsTheConstructorNamingIt) {
  auto o = tls_options();
  o.engine.tls.key_file = (pki().dir / "missing.key").string();
  try {
    sio::Server io(o);
    FAIL() << "constructed";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), sio::errc::tls_bad_file);
    EXPECT_NE(std::string(e.what()).find(o.engine.tls.key_file), std::string::npos) << e.what();
  }
}

TEST(ServerTls, ReloadKeepsTheOldCertificateOnABadFileAndServesOn) {
  const std::string cert = (pki().dir / "reloaded.pem").string();
  std::filesystem::copy_file(pki().server_cert, cert, std::filesystem::copy_options::overwrite_existing);
  auto o = tls_options();
  o.engine.tls.cert_file = cert;
  sio::Server io(o);
  std::promise<std::string> t1, t2;
  std::promise<std::string>* next = &t1;
  io.on_connection([&](sio::Socket& socket) {
    socket.on("echo", [&](sio::Event& ev) {
      next->set_value(std::string(socket.transport()));
      ev.ack_args(ev.args());
    });
  });
  io.start();
  std::ofstream(cert, std::ios::trunc) << "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n";
  std::string detail;
  EXPECT_EQ(io.reload_tls(&detail), sio::errc::tls_bad_file);
  EXPECT_NE(detail.find(cert), std::string::npos) << detail;
  EXPECT_EQ(echo_over_tls(io, {sio::ClientTransport::websocket}).first, "over tls");  // the old one serves
  std::filesystem::copy_file(pki().server_cert, cert, std::filesystem::copy_options::overwrite_existing);
  EXPECT_FALSE(io.reload_tls());
  next = &t2;
  EXPECT_EQ(echo_over_tls(io, {sio::ClientTransport::websocket}).first, "over tls");
  // Without TLS configured, reload is an error, not a crash.
  sio::Server plain({.port = 0, .threads = 1});
  EXPECT_EQ(plain.reload_tls(), sio::errc::tls_bad_file);
  io.stop();
}

}  // namespace
