// sio::Client when things go wrong, against the Node socket.io server: the
// server is killed and restarted, the server stops its heartbeat, and a TLS
// server with a self-signed certificate.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <tuple>
#include <random>

#include "client_harness.hpp"
#include "test_server.hpp"

namespace sio::test {
namespace {

namespace json = boost::json;

using Param = std::tuple<ServerKind, Mode>;

class SioClientFaults : public ::testing::TestWithParam<Param> {
 protected:
  ServerKind kind() const { return std::get<0>(GetParam()); }
  Mode mode() const { return std::get<1>(GetParam()); }
  EventLog log;
};

// The server goes away; emits made meanwhile wait (volatile ones are
// dropped); attempts come one after the other until the server is back; then
// every namespace is joined again and the waiting emits arrive once, in order.
TEST_P(SioClientFaults, ServerKilledAndRestarted) {
  auto server = std::make_unique<TestServer>(kind());
  const int port = server->port();
  auto o = options_for(mode());
  o.reconnection_delay = 100ms;
  o.reconnection_delay_max = 400ms;
  o.randomization_factor = 0;
  Client c(server->url(), o);
  watch(c, log);
  auto& root = c.socket("/");
  auto& chat = c.socket("/chat");
  watch(root, log);
  watch(chat, log);
  c.run_in_background();
  ASSERT_TRUE(log.wait("/ connect"));
  ASSERT_TRUE(log.wait("/chat connect"));

  server->kill();
  ASSERT_TRUE(log.wait("/ disconnect transport"));
  ASSERT_TRUE(log.wait("/chat disconnect transport"));
  EXPECT_FALSE(root.emit("echo", 1));
  EXPECT_FALSE(root.volatile_().emit("echo", "volatile"));
  EXPECT_FALSE(root.emit("echo", 2));
  EXPECT_FALSE(chat.emit("echo", "c1"));
  EXPECT_FALSE(root.emit("echo", 3));

  // Several attempts fail while the server is down, numbered 1, 2, 3.
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(log.wait("reconnect_attempt " + std::to_string(i))) << i;
    ASSERT_TRUE(log.wait("reconnect_error")) << i;
  }
  server = std::make_unique<TestServer>(kind(), json::object{{"port", port}});
  ASSERT_TRUE(log.wait("reconnect "));
  ASSERT_TRUE(log.wait("/ connect"));
  ASSERT_TRUE(log.wait("/chat connect"));
  root.emit("echo", "end");
  chat.emit("echo", "end");

  // The server's reports, in the order it saw things.
  std::set<std::string> rejoined;
  std::vector<json::value> root_args, chat_args;
  for (int ends = 0; ends < 2;) {
    const auto e = server->wait({});
    ASSERT_TRUE(e) << "root " << root_args.size() << ", chat " << chat_args.size();
    if (e->at("ev") == "connection") rejoined.insert(std::string(e->at("nsp").as_string()));
    if (e->at("ev") != "event" || e->at("name") != "echo") continue;
    const auto arg = e->at("args").as_array().at(0);
    (e->at("nsp") == "/" ? root_args : chat_args).push_back(arg);
    if (arg == "end") ++ends;
  }
  EXPECT_EQ(rejoined, (std::set<std::string>{"/", "/chat"}));
  EXPECT_EQ(root_args, (std::vector<json::value>{1, 2, 3, "end"}));
  EXPECT_EQ(chat_args, (std::vector<json::value>{"c1", "end"}));
}

// The server stops answering (its process is frozen): no more pings, so the
// client notices within pingInterval + pingTimeout by itself; its attempts
// time out until the server wakes up, then it reconnects.
TEST_P(SioClientFaults, MissingPingsAreDetected) {
  TestServer server(kind(), {{"pingInterval", 300}, {"pingTimeout", 200}});
  auto o = options_for(mode());
  o.reconnection_delay = 100ms;
  o.reconnection_delay_max = 200ms;
  o.timeout = 500ms;  // connect timeout: a frozen server never answers
  Client c(server.url(), o);
  watch(c, log);
  auto& s = c.socket();
  watch(s, log);
  c.run_in_background();
  // The upgrade may be reported before the connect: keep it for the next wait.
  ASSERT_TRUE(log.wait_unordered("/ connect"));
  if (mode() == Mode::upgrade) ASSERT_TRUE(log.wait("upgrade websocket"));
  server.process().kill(SIGSTOP);
  const auto gone = log.wait("/ disconnect", 10s);
  server.process().kill(SIGCONT);
  ASSERT_EQ(gone, "/ disconnect ping timeout");
  EXPECT_TRUE(log.wait("reconnect "));
  EXPECT_TRUE(log.wait("/ connect"));
}

// With a limit on attempts, the client gives up: reconnect_failed, and no
// more attempts.
TEST_P(SioClientFaults, GivesUpAfterTheAttemptLimit) {
  auto server = std::make_unique<TestServer>(kind());
  auto o = options_for(mode());
  o.reconnection_delay = 50ms;
  o.reconnection_delay_max = 100ms;
  o.reconnection_attempts = 2;
  Client c(server->url(), o);
  watch(c, log);
  watch(c.socket(), log);
  c.run_in_background();
  ASSERT_TRUE(log.wait("/ connect"));
  server->kill();
  ASSERT_TRUE(log.wait("reconnect_attempt 1"));
  ASSERT_TRUE(log.wait("reconnect_attempt 2"));
  ASSERT_TRUE(log.wait("reconnect_failed"));
  EXPECT_FALSE(log.wait("reconnect_attempt", 500ms)) << "no attempt after giving up";
}

// Destroying the client while it reconnects (a timer armed, or an attempt
// in flight against a dead port) returns promptly and leaves nothing behind.
TEST_P(SioClientFaults, DestroyedWhileReconnecting) {
  auto server = std::make_unique<TestServer>(kind());
  auto o = options_for(mode());
  o.reconnection_delay = 50ms;
  o.reconnection_delay_max = 100ms;
  auto c = std::make_unique<Client>(server->url(), o);
  watch(*c, log);
  watch(c->socket(), log);
  c->run_in_background();
  ASSERT_TRUE(log.wait("/ connect"));
  server->kill();
  ASSERT_TRUE(log.wait("reconnect_attempt 2"));
  c.reset();  // must neither hang nor crash (run under ASan too)
  log.take();
  EXPECT_FALSE(log.wait("", 300ms)) << "nothing is heard after the client is gone";
}

const auto kModes = ::testing::Values(Mode::polling, Mode::websocket, Mode::upgrade);

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return kind_name(std::get<0>(info.param)) + "_" + mode_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Node, SioClientFaults, ::testing::Combine(::testing::Values(ServerKind::node), kModes),
                         param_name);
INSTANTIATE_TEST_SUITE_P(Ours, SioClientFaults, ::testing::Combine(::testing::Values(ServerKind::ours), kModes),
                         param_name);

// ---- TLS ----

class SioClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() /
           ("sio-client-tls-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    // A self-signed certificate for the name "localhost" only.
    ChildProcess openssl({SIO_OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                          "-keyout", (dir_ / "key.pem").string(), "-out", (dir_ / "cert.pem").string(),
                          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"});
    const int status = openssl.wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "openssl failed";
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    server_ = std::make_unique<NodeServer>(json::object{
        {"tls", {{"key", (dir_ / "key.pem").string()}, {"cert", (dir_ / "cert.pem").string()}}}});
  }

  std::string url(const std::string& scheme, const std::string& host) const {
    return scheme + "://" + host + ":" + std::to_string(server_->port());
  }

  // Connects once (no reconnection); "connect" or "error <message>".
  std::string try_connect(const std::string& url, ClientOptions o) {
    o.reconnection = false;
    Client c(url, o);
    watch(c, log_);
    watch(c.socket(), log_);
    c.run_in_background();
    auto r = log_.wait("/ connect");
    return r ? *r : "timeout";
  }

  static std::string ca() { return (dir_ / "cert.pem").string(); }

  static std::filesystem::path dir_;
  std::unique_ptr<NodeServer> server_;
  EventLog log_;
};

std::filesystem::path SioClientTls::dir_;

TEST_F(SioClientTls, SelfSignedIsRefusedByDefault) {
  const auto r = try_connect(url("https", "localhost"), {});
  EXPECT_NE(r.find("connect_error"), std::string::npos) << r;
  EXPECT_NE(r.find("certificate verify failed"), std::string::npos) << r;
}

TEST_F(SioClientTls, AcceptedWithTheCaFile) {
  ClientOptions o;
  o.tls.ca_file = ca();
  EXPECT_EQ(try_connect(url("https", "localhost"), o), "/ connect");
}

TEST_F(SioClientTls, WssWithTheCaFile) {
  ClientOptions o;
  o.tls.ca_file = ca();
  o.transports = {ClientTransport::websocket};
  EXPECT_EQ(try_connect(url("wss", "localhost"), o), "/ connect");
}

TEST_F(SioClientTls, TheHostNameIsChecked) {
  ClientOptions o;
  o.tls.ca_file = ca();  // trusted, but issued for "localhost", not 127.0.0.1
  const auto r = try_connect(url("https", "127.0.0.1"), o);
  EXPECT_NE(r.find("connect_error"), std::string::npos) << r;
}

TEST_F(SioClientTls, VerificationCanBeTurnedOffExplicitly) {
  ClientOptions o;
  o.tls.verify_peer = false;
  EXPECT_EQ(try_connect(url("https", "127.0.0.1"), o), "/ connect");
}

TEST_F(SioClientTls, AnUnreadableCaFileIsAnError) {
  ClientOptions o;
  o.tls.ca_file = (dir_ / "missing.pem").string();
  EXPECT_THROW(Client(url("https", "localhost"), o), std::system_error);
}

}  // namespace
}  // namespace sio::test
