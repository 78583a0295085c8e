#include "hooks.hpp"

#include <string>
#include <vector>

namespace sio::apps {
namespace {

namespace json = boost::json;

// A room or a list of rooms, as the tests send them.
std::vector<std::string> rooms_of(const json::value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) out.emplace_back(v->get_string());
  if (v->is_array())
    for (const auto& r : v->get_array())
      if (r.is_string()) out.emplace_back(r.get_string());
  return out;
}

const json::value* field(const Event& ev, std::size_t i, const char* key) {
  const auto* o = ev.arg(i).json().if_object();
  return o ? o->if_contains(key) : nullptr;
}

Args args_from(const Event& ev, std::size_t first) {
  return first < ev.size() ? Args(ev.args().begin() + static_cast<std::ptrdiff_t>(first), ev.args().end()) : Args{};
}

json::array room_array(const std::set<std::string>& rooms) {
  json::array a;
  for (const auto& r : rooms) a.emplace_back(r);
  return a;
}

// to / except from the options object in argument 0.
BroadcastOperator select(Namespace& nsp, const Event& ev) {
  BroadcastOperator op = nsp.all();
  const auto to = rooms_of(field(ev, 0, "to"));
  const auto except = rooms_of(field(ev, 0, "except"));
  if (!to.empty()) op = op.to(to);
  if (!except.empty()) op = op.except(except);
  return op;
}

std::string event_of(const Event& ev) {
  const auto* e = field(ev, 0, "event");
  return e && e->is_string() ? std::string(e->get_string()) : "event";
}

}  // namespace

void install_hooks(Server& io, Namespace& nsp) {
  nsp.on_connection([&io, &nsp](Socket& s) {
    // every disconnect, for the tests watching reasons
    s.on_disconnect([&io, id = s.id(), name = nsp.name()](DisconnectReason r) {
      io.to("watchers").emit("disconnected", json::object{{"id", id}, {"nsp", name}, {"reason", to_string(r)}});
    });
    s.on("watch", [&s](Event& ev) {
      s.join("watchers");
      ev.ack();
    });
    s.on("echo", [&s](Event& ev) {
      s.emit_args("echo", ev.args());
      ev.ack_args(ev.args());
    });
    s.on("ack", [](Event& ev) { ev.ack_args(ev.args()); });
    // server-ask(event, timeout_ms, args...): asks the client, answers with
    // ("ok", reply...) or ("error", message)
    s.on("server-ask", [&s](Event& ev) {
      const std::string event(ev.arg(0).json().as_string());
      const auto timeout = std::chrono::milliseconds(ev.arg(1).json().to_number<std::int64_t>());
      Ack answer = ev.ack_handle();
      auto done = [answer](std::error_code ec, Args reply) {
        if (ec) {
          answer("error", ec.message());
          return;
        }
        reply.insert(reply.begin(), Payload("ok"));
        answer.send(std::move(reply));
      };
      if (timeout.count() > 0) {
        s.timeout(timeout).emit_args(event, args_from(ev, 2), done);
      } else {
        s.emit_args(event, args_from(ev, 2), done);
      }
    });
    s.on("join", [&s](Event& ev) {
      s.join(rooms_of(&ev.arg(0).json()));
      ev.ack(room_array(s.rooms()));
    });
    s.on("leave", [&s](Event& ev) {
      for (const auto& r : rooms_of(&ev.arg(0).json())) s.leave(r);
      ev.ack(room_array(s.rooms()));
    });
    s.on("rooms", [&s](Event& ev) { ev.ack(room_array(s.rooms())); });
    s.on("set-data", [&s](Event& ev) {
      s.data() = ev.arg(0).json();
      ev.ack();
    });
    // emit-to({to, except, event}, args...)
    s.on("emit-to", [&nsp](Event& ev) {
      select(nsp, ev).emit_args(event_of(ev), args_from(ev, 1));
      ev.ack();
    });
    s.on("broadcast", [&s](Event& ev) {
      s.broadcast().emit_args(event_of(ev), args_from(ev, 1));
      ev.ack();
    });
    // broadcast-ack({to, except, event, timeout}, args...): answers with
    // (error or null, count, the first argument of each reply...)
    s.on("broadcast-ack", [&nsp](Event& ev) {
      const auto* t = field(ev, 0, "timeout");
      auto op = select(nsp, ev).timeout(std::chrono::milliseconds(t ? t->to_number<std::int64_t>() : 1000));
      Ack answer = ev.ack_handle();
      op.emit_args(event_of(ev), args_from(ev, 1), [answer](std::error_code ec, std::vector<Args> replies) {
        Args out{ec ? Payload(ec.message()) : Payload(nullptr), static_cast<std::int64_t>(replies.size())};
        for (auto& r : replies) out.push_back(r.empty() ? Payload() : r.front());
        answer.send(std::move(out));
      });
    });
    // fetch({to, except}): [{id, rooms, data, auth}]
    s.on("fetch", [&nsp](Event& ev) {
      Ack answer = ev.ack_handle();
      select(nsp, ev).fetch_sockets([answer](std::error_code ec, std::vector<RemoteSocket> sockets) {
        json::array list;
        for (const auto& r : sockets)
          list.push_back(json::object{
              {"id", r.id()}, {"rooms", room_array(r.rooms())}, {"data", r.data()}, {"auth", r.handshake().auth}});
        answer(ec ? json::value(ec.message()) : json::value(nullptr), std::move(list));
      });
    });
    s.on("sockets-join", [&nsp](Event& ev) {
      select(nsp, ev).sockets_join(rooms_of(field(ev, 0, "rooms")));
      ev.ack();
    });
    s.on("sockets-leave", [&nsp](Event& ev) {
      select(nsp, ev).sockets_leave(rooms_of(field(ev, 0, "rooms")));
      ev.ack();
    });
    s.on("disconnect-sockets", [&nsp](Event& ev) {
      const auto* close = field(ev, 0, "close");
      select(nsp, ev).disconnect_sockets(close && close->is_bool() && close->get_bool());
      ev.ack();
    });
    s.on("disconnect-me", [&s](Event& ev) {
      const bool close = ev.arg(0).json().is_bool() && ev.arg(0).json().get_bool();
      s.disconnect(close);
    });
    // binary from the server: at the top level and nested
    s.on("send-binary", [&s](Event& ev) {
      PayloadBuilder b;
      json::object nested{{"name", "nested"},
                          {"deep", json::object{{"bytes", b.add(Binary{4, 5})}}},
                          {"list", json::array{b.add(Binary{6}), 7}}};
      s.emit("binary", Binary{1, 2, 3}, b.build(std::move(nested)));
      ev.ack(Binary{9, 9});
    });
  });
}

}  // namespace sio::apps
