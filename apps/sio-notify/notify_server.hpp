// The notifications on a sio::Server: a middleware signs users in by token,
// each user's sockets join the room "user:<name>", notifications go to those
// rooms, and read receipts (acked events) update the unread count that every
// tab of the user is sent. One mutex serialises the Inbox and the emits made
// from it, so all tabs of a user see the same order.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <boost/json/object.hpp>
#include <sio/server.hpp>

#include "inbox.hpp"
#include "notice.hpp"

namespace notify {

struct NotifyConfig {
  std::string secret;      // signs tokens (and guards POST /notify, in HttpApi)
  InboxLimits inbox;
  NoticeLimits notice;
};

class NotifyServer {
 public:
  NotifyServer(sio::Server& io, NotifyConfig config);

  // Stores and sends a checked notification; returns {id, users} (how many
  // users it was stored for). Thread-safe; called by POST /notify and by the
  // Redis path. `local`: only to this process's sockets (a server-side emit
  // reaches every process of a cluster, and each sends it to its own).
  boost::json::object deliver(const Notice& notice, bool local = false);

  static std::string room_of(const std::string& user) { return "user:" + user; }

 private:
  void authenticate(sio::Socket& socket, sio::Next next);
  void accept(sio::Socket& socket);
  void on_read(const std::string& user, sio::Event& ev);
  void on_read_all(const std::string& user, sio::Event& ev);
  // Caller holds mutex_: tells every tab of `user` the new count.
  void send_unread(const std::string& user, boost::json::array read_ids);
  boost::json::object inbox_of(const std::string& user) const;

  sio::Server& io_;
  NotifyConfig config_;
  std::mutex mutex_;
  Inbox inbox_;
  std::uint64_t next_id_ = 1;
};

}  // namespace notify
