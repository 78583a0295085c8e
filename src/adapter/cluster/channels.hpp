// Redis channel names of one namespace, as @socket.io/redis-adapter 8.x names
// them (option `key`, default "socket.io"):
//   broadcast      <key>#<nsp>#         (psubscribed as <key>#<nsp>#*)
//   one room       <key>#<nsp>#<room>#
//   requests       <key>-request#<nsp>#
//   responses      <key>-response#<nsp>#   and   <key>-response#<nsp>#<uid>#
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sio::adapter::cluster {

// Default channel prefix: the Node adapter's and emitter's `key` default.
inline constexpr std::string_view kDefaultChannelPrefix = "socket.io";

class Channels {
 public:
  Channels(std::string_view prefix, std::string_view nsp)
      : broadcast_(std::string(prefix) + "#" + std::string(nsp) + "#"),
        request_(std::string(prefix) + "-request#" + std::string(nsp) + "#"),
        response_(std::string(prefix) + "-response#" + std::string(nsp) + "#") {}

  // The channel a broadcast to `rooms` is published on: the room's own
  // channel when there is exactly one room (so nodes without that room can
  // drop it unread), else the namespace channel.
  std::string broadcast(const std::vector<std::string>& rooms) const {
    return rooms.size() == 1 ? broadcast_ + rooms.front() + "#" : broadcast_;
  }
  std::string broadcast_pattern() const { return broadcast_ + "*"; }
  const std::string& request() const { return request_; }
  const std::string& response() const { return response_; }
  std::string specific_response(std::string_view uid) const { return response_ + std::string(uid) + "#"; }

  // The room a broadcast channel names ("" for the namespace channel);
  // nullopt when the channel is not one of this namespace's.
  std::optional<std::string> room_of(std::string_view channel) const {
    if (channel.size() < broadcast_.size() || channel.substr(0, broadcast_.size()) != broadcast_) return std::nullopt;
    if (channel.size() == broadcast_.size()) return std::string();
    return std::string(channel.substr(broadcast_.size(), channel.size() - broadcast_.size() - 1));
  }

 private:
  std::string broadcast_, request_, response_;
};

}  // namespace sio::adapter::cluster
