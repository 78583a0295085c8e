// Observers that write what they hear as short strings, for assertions.
#pragma once

#include <boost/json/serialize.hpp>

#include <string>
#include <vector>

#include "client/manager.hpp"
#include "client/namespace_socket.hpp"
#include "wire/sio_args.hpp"

namespace sio::client::test {

struct SocketLog final : SocketObserver {
  std::vector<std::string> events;
  std::vector<std::pair<std::string, Args>> received;
  std::optional<std::uint64_t> last_ack_id;

  void on_connect() override { events.push_back("connect"); }
  void on_connect_error(const std::string& m, const boost::json::value& d) override {
    events.push_back("connect_error " + m + " " + boost::json::serialize(d));
  }
  void on_disconnect(const std::string& r, const std::string&) override { events.push_back("disconnect " + r); }
  void on_event(const std::string& name, Args args, std::optional<std::uint64_t> id) override {
    events.push_back("event " + name);
    received.emplace_back(name, std::move(args));
    last_ack_id = id;
  }
};

struct ManagerLog final : ManagerObserver {
  std::vector<std::string> events;
  void on_open() override { events.push_back("open"); }
  void on_close(const std::string& r, const std::string&) override { events.push_back("close " + r); }
  void on_error(const std::string& m) override { events.push_back("error " + m); }
  void on_reconnect_attempt(std::uint32_t n) override { events.push_back("reconnect_attempt " + std::to_string(n)); }
  void on_reconnect(std::uint32_t n) override { events.push_back("reconnect " + std::to_string(n)); }
  void on_reconnect_error(const std::string& m) override { events.push_back("reconnect_error " + m); }
  void on_reconnect_failed() override { events.push_back("reconnect_failed"); }
};

inline OutgoingEvent event(NamespaceSocket& s, std::string_view name, Args args, AckCallback ack = {},
                           EmitOptions opts = {}) {
  OutgoingEvent ev;
  if (ack) ev.ack_id = s.allocate_ack_id();
  ev.packet = wire::socketio::encode_event(s.nsp(), name, args, ev.ack_id);
  ev.ack = std::move(ack);
  ev.options = opts;
  return ev;
}

}  // namespace sio::client::test
