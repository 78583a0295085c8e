// sio-client-cli: a Socket.IO client on the command line.
//
//   sio-client-cli URL [--namespace NS] [--transport polling|websocket]
//
// Connects (and reconnects by itself), prints everything that happens as one
// JSON object per line on stdout, and sends each stdin line
// `event-name [json ...]` as an event (each JSON value one argument; a blob is
// {"_binary":"<base64>"}). End of input closes the client.
//
// Output lines: {"type":"connect","nsp":..,"id":..}, {"type":"event","nsp":..,
// "event":..,"args":[..]}, {"type":"ack","event":..,"args":[..]} (with --ack),
// {"type":"disconnect","nsp":..,"reason":..}, {"type":"connect_error",...},
// and connection events: open, close, error, reconnect_attempt, reconnect,
// reconnect_error, reconnect_failed.
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>

#include <CLI/CLI.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sio/client.hpp>

#include "json_args.hpp"

namespace json = boost::json;

namespace {

std::mutex out_mu;

void print(const json::object& o) {
  const std::string line = json::serialize(o);
  std::lock_guard lk(out_mu);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Socket.IO client: prints events as JSON lines, sends stdin lines `event [json ...]`"};
  std::string url, nsp, transport = "both", auth, ca_file, path = "/socket.io/";
  std::vector<std::string> queries, headers;
  bool insecure = false, no_reconnect = false, ack = false, auto_ack = false;
  long ack_timeout_ms = 5000;
  app.add_option("url", url, "server URL: http(s):// or ws(s)://host:port[/namespace]")->required();
  app.add_option("--namespace,-n", nsp, "namespace to join (default: the URL's path, or /)");
  app.add_option("--transport,-t", transport, "polling, websocket, or both (polling then upgrade)")
      ->check(CLI::IsMember({"polling", "websocket", "both"}))
      ->capture_default_str();
  app.add_option("--path", path, "Engine.IO path")->capture_default_str();
  app.add_option("--auth", auth, "auth payload sent with CONNECT (a JSON object)");
  app.add_option("--query,-q", queries, "extra query parameter key=value (repeatable)");
  app.add_option("--header,-H", headers, "extra request header 'Name: value' (repeatable)");
  app.add_option("--ca-file", ca_file, "PEM file of trusted CAs for https/wss");
  app.add_flag("--insecure", insecure, "do not verify the server's TLS certificate (explicitly unsafe)");
  app.add_flag("--no-reconnect", no_reconnect, "give up when the connection drops");
  app.add_flag("--ack", ack, "ask for an acknowledgement of every event sent, and print it");
  app.add_option("--ack-timeout", ack_timeout_ms, "ms to wait for an acknowledgement (with --ack)")
      ->capture_default_str();
  app.add_flag("--auto-ack", auto_ack, "answer the server's events that ask for an ack (with no arguments)");
  CLI11_PARSE(app, argc, argv);

  sio::ClientOptions opts;
  opts.path = path;
  if (transport == "polling") opts.transports = {sio::ClientTransport::polling};
  if (transport == "websocket") opts.transports = {sio::ClientTransport::websocket};
  if (!auth.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(auth, ec);
    if (ec || !v.is_object()) {
      std::cerr << "--auth must be a JSON object\n";
      return 2;
    }
    opts.auth = v.as_object();
  }
  for (const auto& q : queries) {
    const auto eq = q.find('=');
    opts.query[q.substr(0, eq)] = eq == std::string::npos ? "" : q.substr(eq + 1);
  }
  for (const auto& h : headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos) {
      std::cerr << "--header wants 'Name: value'\n";
      return 2;
    }
    const auto value_start = h.find_first_not_of(' ', colon + 1);
    opts.extra_headers[h.substr(0, colon)] = value_start == std::string::npos ? "" : h.substr(value_start);
  }
  opts.tls.ca_file = ca_file;
  opts.tls.verify_peer = !insecure;
  opts.reconnection = !no_reconnect;

  std::unique_ptr<sio::Client> client;
  try {
    client = std::make_unique<sio::Client>(url, opts);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }

  client->on_open([] { print({{"type", "open"}}); });
  client->on_close([](const std::string& r) { print({{"type", "close"}, {"reason", r}}); });
  client->on_error([](const std::string& m) { print({{"type", "error"}, {"message", m}}); });
  client->on_reconnect_attempt([](std::uint32_t n) { print({{"type", "reconnect_attempt"}, {"attempt", n}}); });
  client->on_reconnect([](std::uint32_t n) { print({{"type", "reconnect"}, {"attempts", n}}); });
  client->on_reconnect_error([](const std::string& m) { print({{"type", "reconnect_error"}, {"message", m}}); });
  client->on_reconnect_failed([] { print({{"type", "reconnect_failed"}}); });

  auto& socket = client->socket(nsp);
  const std::string name = socket.nsp();
  socket.on_connect([&socket, name] { print({{"type", "connect"}, {"nsp", name}, {"id", socket.id()}}); });
  socket.on_connect_error([name](const sio::ConnectError& e) {
    print({{"type", "connect_error"}, {"nsp", name}, {"message", e.message}, {"data", e.data}});
  });
  socket.on_disconnect([name](const std::string& r) { print({{"type", "disconnect"}, {"nsp", name}, {"reason", r}}); });
  socket.on_any([name, auto_ack](sio::ClientEvent& ev) {
    print({{"type", "event"}, {"nsp", name}, {"event", ev.name()}, {"args", cli::to_json(ev.args())},
           {"wants_ack", ev.wants_ack()}});
    if (auto_ack && ev.wants_ack()) ev.ack();
  });
  client->run_in_background();

  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::string error;
    auto cmd = cli::parse_command(line, error);
    if (!cmd) {
      print({{"type", "input_error"}, {"message", error}, {"line", line}});
      continue;
    }
    std::error_code ec;
    if (ack) {
      ec = socket.emit_with_ack(cmd->event, std::move(cmd->args), std::chrono::milliseconds(ack_timeout_ms),
                                [event = cmd->event](sio::AckResult r) {
                                  json::object o{{"type", "ack"}, {"event", event}};
                                  if (r) {
                                    o["args"] = cli::to_json(r.args);
                                  } else {
                                    o["error"] = r.error.message();
                                  }
                                  print(o);
                                });
    } else {
      ec = socket.emit_args(cmd->event, std::move(cmd->args));
    }
    if (ec) print({{"type", "emit_error"}, {"event", cmd->event}, {"message", ec.message()}});
  }
  client->close();
  return 0;
}
