// sio-cluster-node: the C++ node of the scale-out interop tests. A Socket.IO
// server on the Redis adapter speaking the same small protocol as the Node
// node (node-server.mjs), so a test can talk to every node alike:
//   "whoami" (ack)             -> the node's name
//   "join" room (ack)          -> the socket joins the room
//   "bcast" ...args            -> io.emit("bcast", ...args)
//   "to" room, ...args         -> io.to(room).emit("bcast", ...args)
//   "except" room, ...args     -> io.except(room).emit("bcast", ...args)
//   "chat" msg / "chat-room" room, msg -> io[.to(room)].emit("chat", {node, msg})
//   "fetch" (ack)              -> [{id, rooms, data}] of every node's sockets
//   "ask-all" (ack)            -> io.timeout(3 s).emit("question") -> {error, responses}
//   "server-emit" msg (ack)    -> serverSideEmit("hello", msg) -> {error, replies}
//   "heard" (ack)              -> the "hello" messages other nodes sent here
//   "redis" (ack)              -> the Redis link status {connected, outages}
//   "emitter" op, ...args (ack) -> the same through sio::Emitter (a program of
//                                 its own would do it alike), then flush():
//                                 op {nsp?, to?: [], except?: [], volatile?,
//                                 compress?, do: "emit" | "join" | "leave" |
//                                 "disconnect" | "server-side", event?, rooms?,
//                                 close?}; answers {ok, error?}
// Usage: sio-cluster-node --port 0 --redis redis://HOST:PORT --name NAME
#include <cstdio>
#include <mutex>

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <sio/emitter.hpp>
#include <sio/redis.hpp>
#include <sio/server.hpp>

#include "../../../apps/common/signals.hpp"

namespace json = boost::json;

namespace {

sio::Args rest(const sio::Event& ev, std::size_t from) {
  return sio::Args(ev.args().begin() + static_cast<std::ptrdiff_t>(std::min(from, ev.size())), ev.args().end());
}

std::string room_arg(const sio::Event& ev) {
  const auto& v = ev.arg(0).json();
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

json::value error_json(std::error_code ec) { return ec ? json::value(ec.message()) : json::value(nullptr); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Socket.IO cluster node for the scale-out tests"};
  sio::ServerOptions opts;
  std::string redis_url, name = "cpp";
  app.add_option("--port", opts.port, "TCP port on 127.0.0.1 (0: any free port)")->capture_default_str();
  app.add_option("--threads", opts.threads, "event loops (0: hardware threads)")->capture_default_str();
  app.add_option("--redis", redis_url, "redis://host:port")->required();
  app.add_option("--name", name, "node name (whoami)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string error;
  auto redis = sio::redis_adapter({.url = redis_url}, error);
  if (!redis) {
    std::fprintf(stderr, "sio-cluster-node: --redis: %s\n", error.c_str());
    return 2;
  }
  opts.adapter = redis->factory;
  sio::Server io(opts);

  sio::Emitter emitter({.url = redis_url});

  std::mutex heard_mu;
  json::array heard;
  io.sockets().on_server_side_emit("hello", [&, name](const sio::Args& args, const sio::Ack& ack) {
    {
      std::lock_guard lk(heard_mu);
      heard.push_back(args.empty() ? json::value(nullptr) : args[0].json());
    }
    if (ack) ack(name);
  });

  io.on_connection([&, name](sio::Socket& socket) {
    socket.data() = json::object{{"node", name}};
    socket.on("whoami", [name](sio::Event& ev) { ev.ack(name); });
    socket.on("join", [&socket](sio::Event& ev) {
      socket.join(room_arg(ev));
      ev.ack();
    });
    socket.on("bcast", [&io](sio::Event& ev) { io.sockets().emit_args("bcast", ev.args()); });
    socket.on("to", [&io](sio::Event& ev) { io.to(room_arg(ev)).emit_args("bcast", rest(ev, 1)); });
    socket.on("except", [&io](sio::Event& ev) { io.except(room_arg(ev)).emit_args("bcast", rest(ev, 1)); });
    socket.on("chat", [&io, name](sio::Event& ev) {
      io.emit("chat", json::object{{"node", name}, {"msg", ev.arg(0).json()}});
    });
    socket.on("chat-room", [&io, name](sio::Event& ev) {
      io.to(room_arg(ev)).emit("chat", json::object{{"node", name}, {"msg", ev.arg(1).json()}});
    });
    socket.on("fetch", [&io](sio::Event& ev) {
      io.fetch_sockets([ack = ev.ack_handle()](std::error_code, std::vector<sio::RemoteSocket> sockets) {
        json::array out;
        for (const auto& s : sockets) {
          json::array rooms;
          for (const auto& r : s.rooms()) rooms.emplace_back(json::string_view(r));
          out.push_back(json::object{{"id", s.id()}, {"rooms", std::move(rooms)}, {"data", s.data()}});
        }
        ack(std::move(out));
      });
    });
    socket.on("ask-all", [&io](sio::Event& ev) {
      io.timeout(std::chrono::milliseconds(3000))
          .emit_args("question", {}, [ack = ev.ack_handle()](std::error_code ec, std::vector<sio::Args> responses) {
            json::array r;
            for (const auto& a : responses) r.push_back(a.empty() ? json::value(nullptr) : a[0].json());
            ack(json::object{{"error", error_json(ec)}, {"responses", std::move(r)}});
          });
    });
    socket.on("server-emit", [&io](sio::Event& ev) {
      io.sockets().server_side_emit_args(
          "hello", {ev.arg(0)}, [ack = ev.ack_handle()](std::error_code ec, std::vector<sio::Args> replies) {
            json::array r;
            for (const auto& a : replies) r.push_back(a.empty() ? json::value(nullptr) : a[0].json());
            ack(json::object{{"error", error_json(ec)}, {"replies", std::move(r)}});
          });
    });
    socket.on("heard", [&](sio::Event& ev) {
      std::lock_guard lk(heard_mu);
      ev.ack(heard);
    });
    socket.on("emitter", [&emitter](sio::Event& ev) {
      const json::object& op = ev.arg(0).json().as_object();
      auto strings = [&](const char* key) {
        std::vector<std::string> out;
        if (auto* a = op.if_contains(key))
          for (const auto& v : a->as_array()) out.emplace_back(v.as_string());
        return out;
      };
      auto text = [&](const char* key, const char* fallback) {
        auto* v = op.if_contains(key);
        return v ? std::string(v->as_string()) : std::string(fallback);
      };
      auto flag = [&](const char* key) {
        auto* v = op.if_contains(key);
        return v && v->as_bool();
      };
      const sio::Emitter e = emitter.of(text("nsp", "/"));
      sio::EmitterOperator target = e.to({});
      for (const auto& r : strings("to")) target = target.to(r);
      for (const auto& r : strings("except")) target = target.except(r);
      if (flag("volatile")) target = target.volatile_();
      if (auto* c = op.if_contains("compress")) target = target.compress(c->as_bool());
      const std::string what = text("do", "emit");
      if (what == "emit") target.emit_args(text("event", "bcast"), rest(ev, 1));
      else if (what == "join") target.sockets_join(strings("rooms"));
      else if (what == "leave") target.sockets_leave(strings("rooms"));
      else if (what == "disconnect") target.disconnect_sockets(flag("close"));
      else if (what == "server-side") e.server_side_emit_args(text("event", "hello"), rest(ev, 1));
      std::string error;
      const bool ok = emitter.flush(std::chrono::milliseconds(5000), &error);
      ev.ack(json::object{{"ok", ok}, {"error", error}});
    });
    socket.on("redis", [status = redis->status](sio::Event& ev) {
      const sio::RedisStatus s = status();
      ev.ack(json::object{{"connected", s.connected}, {"outages", s.outages}});
    });
  });

  sio::apps::stop_on_signals([&io] { io.stop(); });
  std::printf("listening on http://127.0.0.1:%u\n", io.port());
  std::fflush(stdout);
  io.run();
  return 0;
}
