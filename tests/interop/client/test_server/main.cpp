// sio-client-test-server: our own Socket.IO server (sio::Server) behaving as
// tests/interop/client/node_server.mjs does, so that the client's interop
// suite runs unchanged against both. Same JSON argument, same JSON line
// reports on stdout, same stdin commands. (Not here: TLS, "close-transport",
// "stop-pings": our public server API has no equivalent; those tests run
// against the Node server only.)
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sio/server.hpp>

#include "wire/base64.hpp"

namespace json = boost::json;
namespace wire = sio::wire;

namespace {

std::mutex out_mu;

void report(const json::object& o) {
  const std::string line = json::serialize(o);
  std::lock_guard lk(out_mu);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// As Node's JSON.stringify shows a Buffer: {"type":"Buffer","data":[bytes]}.
json::value render(const json::value& v, const sio::Payload& p) {
  if (const sio::Binary* b = p.binary(v)) {
    json::array bytes;
    for (const unsigned char c : b->view()) bytes.push_back(c);
    return json::object{{"type", "Buffer"}, {"data", std::move(bytes)}};
  }
  if (const auto* o = v.if_object()) {
    json::object r;
    for (const auto& [k, x] : *o) r[k] = render(x, p);
    return r;
  }
  if (const auto* a = v.if_array()) {
    json::array r;
    for (const auto& x : *a) r.push_back(render(x, p));
    return r;
  }
  return v;
}

json::array render(const sio::Args& args, std::size_t first = 0) {
  json::array r;
  for (std::size_t i = first; i < args.size(); ++i) r.push_back(render(args[i].json(), args[i]));
  return r;
}

void serve(sio::Namespace& nsp) {
  const std::string name = nsp.name();
  nsp.on_connection([name](sio::Socket& socket) {
    json::object query;
    for (const auto& [k, v] : socket.handshake().query()) query[k] = v;
    report({{"ev", "connection"}, {"nsp", name}, {"id", socket.id()}, {"auth", socket.handshake().auth},
            {"query", query}, {"transport", socket.transport()}, {"recovered", socket.recovered()}});
    const std::string id = socket.id();
    socket.on_disconnect([name, id](sio::DisconnectReason r) {
      report({{"ev", "disconnect"}, {"nsp", name}, {"id", id}, {"reason", sio::to_string(r)}});
    });
    socket.on_any([name, &socket](sio::Event& ev) {
      report({{"ev", "event"}, {"nsp", name}, {"name", ev.name()}, {"args", render(ev.args())},
              {"ack", ev.wants_ack()}, {"transport", socket.transport()}});
    });
    socket.on("echo", [&socket](sio::Event& ev) {
      socket.emit_args("echo", ev.args());
      if (ev.wants_ack()) ev.ack_args(ev.args());
    });
    socket.on("ack", [](sio::Event& ev) { ev.ack_args(ev.args()); });
    socket.on("noack", [](sio::Event&) {});  // never answers: the client's ack times out
    socket.on("request-ack", [name, &socket](sio::Event& ev) {
      if (ev.size() < 2 || !ev.arg(0).json().is_string()) return;
      const std::string event(ev.arg(0).json().as_string());
      const auto ms = std::chrono::milliseconds(ev.arg(1).json().to_number<std::int64_t>());
      sio::Args rest(ev.args().begin() + 2, ev.args().end());
      socket.timeout(ms).emit_args(event, std::move(rest), [name](std::error_code ec, sio::Args reply) {
        report({{"ev", "ack-result"}, {"nsp", name}, {"err", ec ? json::value(ec.message()) : json::value(nullptr)},
                {"args", render(reply)}});
      });
    });
    socket.on("disconnect-me", [&socket](sio::Event&) { socket.disconnect(); });
  });
}

}  // namespace

int main(int argc, char** argv) {
  const json::object opts = argc > 1 ? json::parse(argv[1]).as_object() : json::object{};
  auto number = [&](const char* key, std::int64_t fallback) {
    const auto* v = opts.if_contains(key);
    return v ? v->to_number<std::int64_t>() : fallback;
  };
  sio::ServerOptions so;
  so.host = "127.0.0.1";
  so.port = static_cast<std::uint16_t>(number("port", 0));
  so.threads = 1;
  so.engine.ping_interval = std::chrono::milliseconds(number("pingInterval", 25000));
  so.engine.ping_timeout = std::chrono::milliseconds(number("pingTimeout", 20000));
  if (const auto* r = opts.if_contains("recovery"); r && *r == true) so.connection_state_recovery.enabled = true;
  if (const auto* t = opts.if_contains("transports")) {
    so.engine.allow_polling = so.engine.allow_websocket = false;
    for (const auto& x : t->as_array()) {
      if (x == "polling") so.engine.allow_polling = true;
      if (x == "websocket") so.engine.allow_websocket = true;
    }
  }

  sio::Server io(so);
  serve(io.of("/"));
  serve(io.of("/chat"));
  auto& admin = io.of("/admin");
  admin.use([](sio::Socket& s, sio::Next next) {
    const auto* token = s.handshake().auth.if_contains("token");
    if (token && *token == "secret") return next();
    next(sio::Error{"not authorized", json::object{{"reason", "bad token"}}});
  });
  serve(admin);

  io.start();
  report({{"ev", "listening"}, {"port", io.port()}});

  std::string line;
  while (std::getline(std::cin, line)) {
    json::error_code ec;
    const auto v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto& m = v.as_object();
    const std::string cmd = m.contains("cmd") ? std::string(m.at("cmd").as_string()) : "";
    const std::string nsp = m.contains("nsp") ? std::string(m.at("nsp").as_string()) : "/";
    if (cmd == "emit") {
      sio::Args args;
      if (const auto* a = m.if_contains("args")) {
        for (const auto& x : a->as_array()) args.emplace_back(x);
      }
      io.of(nsp).emit_args(std::string(m.at("event").as_string()), std::move(args));
    } else if (cmd == "emit-binary") {
      std::string bytes;
      wire::base64_decode_append(bytes, m.at("base64").as_string());
      io.of(nsp).emit(std::string(m.at("event").as_string()), sio::Binary(std::move(bytes)));
    } else if (cmd == "exit") {
      break;
    }
    report({{"ev", "done"}, {"cmd", cmd}});
  }
  io.stop();
  return 0;
}
