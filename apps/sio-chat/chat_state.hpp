// The chat itself (PROTOCOL.md), without I/O: members, rooms, history, the
// rules. Each request goes in with the requesting socket's id and comes out as
// an Outcome: the answer for its acknowledgement, and what the server must do
// (room changes, emits, disconnections). chat_server.cpp carries that out with
// the sio API. Not thread-safe: the caller serialises calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sio/payload.hpp>

#include "flood_guard.hpp"

namespace chat {

struct Message {
  std::string id;  // "<run>-<seq>": unique for this server run
  std::string room;
  std::string from;
  std::int64_t time = 0;  // ms since the Unix epoch
  bool is_file = false;
  std::string text;  // text messages
  // files
  std::string file_name;
  std::string file_type;
  std::size_t file_size = 0;
  sio::Binary file_data;  // shared bytes, never copied; empty once expired
  bool expired = false;
};

// Something the server must send. Targets: one socket, a room (optionally
// without one socket), or every connected socket.
struct Emit {
  enum class To { socket, room, everyone };
  To to = To::socket;
  std::string target;  // socket id or room name
  std::string except;  // socket id left out (room emits)
  std::string event;
  sio::Payload payload;
  bool volatile_ = false;
};

struct Outcome {
  sio::Payload answer;               // null when the request has no answer (typing)
  std::string leave_room;            // the requesting socket leaves this room first...
  std::string join_room;             // ...then joins this one
  std::vector<Emit> emits;           // in order, after the room changes
  std::vector<std::string> disconnect;  // socket ids to disconnect (closing their connection) last
};

struct ChatConfig {
  std::size_t history = 100;           // messages kept per room (--history)
  std::size_t max_upload = 1u << 20;   // largest attachment in bytes (--max-upload)
};

class ChatState {
 public:
  explicit ChatState(ChatConfig config);

  // A socket connected: it is sent the room list.
  Outcome connect(const std::string& id, Clock::time_point now);
  // A socket is gone: it leaves its room.
  Outcome disconnect(const std::string& id);
  // Flood control in front of every event (typing has its own bucket).
  FloodGuard::Verdict admit(const std::string& id, bool typing, Clock::time_point now);
  // What to do when admit() says kick.
  Outcome kick(const std::string& id);
  // The answer to a request refused by admit().
  static sio::Payload rate_limited();

  // The requests; `p` is the event's first argument, `now_ms` the wall clock.
  Outcome join(const std::string& id, const sio::Payload& p, std::int64_t now_ms);
  Outcome message(const std::string& id, const sio::Payload& p, std::int64_t now_ms);
  Outcome dm(const std::string& id, const sio::Payload& p, std::int64_t now_ms);
  Outcome upload(const std::string& id, const sio::Payload& p, std::int64_t now_ms);
  Outcome history_since(const std::string& id, const sio::Payload& p);
  Outcome rooms(const std::string& id);
  Outcome typing(const std::string& id, Clock::time_point now);

  // Sent to everyone before a graceful shutdown.
  static sio::Payload shutdown_notice();

  const ChatConfig& config() const { return config_; }

 private:
  struct Member {
    std::string nick;
    std::string room;       // "" until joined
    std::string client_id;  // the tab's id, "" when none was given
    FloodGuard guard;
    bool typed = false;     // a typing notice was forwarded at last_typing
    Clock::time_point last_typing{};
  };
  struct Room {
    std::string name;
    std::vector<std::string> members;  // socket ids, in joining order
    std::deque<Message> history;       // oldest first
    std::int64_t last_active = 0;
  };

  Member* member(const std::string& id);
  Room* room_of(const Member& m);
  std::string holder(const Room& room, std::string_view nick) const;  // socket id or ""
  std::vector<std::string> nicks(const Room& room) const;
  bool make_room_for();
  void leave(const std::string& id, Member& m, Outcome& out, bool announce_rooms);
  void announce_rooms(Outcome& out) const;
  sio::Payload room_list() const;
  std::string next_id();
  void record(Room& room, Message msg);
  // Runs `deliver` once per (clientId, cid); a repeat gets the first answer.
  template <class Deliver>
  Outcome once(const Member& m, const std::string* cid, Deliver deliver);

  ChatConfig config_;
  std::string run_;  // random, so ids differ across restarts
  std::uint64_t seq_ = 0;
  std::unordered_map<std::string, Member> members_;  // by socket id
  std::map<std::string, Room> rooms_;                // by name: the list is sorted
  std::unordered_map<std::string, sio::Payload> answered_;  // clientId \0 cid -> answer
  std::deque<std::string> answered_order_;                  // oldest first, for eviction
};

}  // namespace chat
