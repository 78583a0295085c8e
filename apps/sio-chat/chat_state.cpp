#include "chat_state.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "message_json.hpp"
#include "text_rules.hpp"

namespace chat {
namespace {

const std::string kDefaultRoom = "general";  // always listed, never forgotten

using boost::json::array;
using boost::json::object;
using boost::json::value;

sio::Payload json_payload(value v) {
  return sio::Payload(std::move(v));
}

// The event's first argument as a JSON object, or null. A top-level binary is
// not an object here, whatever its placeholder looks like.
const object* as_object(const sio::Payload& p) {
  if (p.is_binary() || !p.json().is_object()) return nullptr;
  return &p.json().get_object();
}

// A string field: absent -> `absent`; present but not a string -> bad.
enum class Field { absent, string, bad };
Field string_field(const object& o, std::string_view key, std::string_view& out) {
  const value* v = o.if_contains(key);
  if (!v) return Field::absent;
  if (!v->is_string()) return Field::bad;
  out = std::string_view(v->get_string());
  return Field::string;
}

bool required_string(const object& o, std::string_view key, std::string_view& out) {
  return string_field(o, key, out) == Field::string;
}

// The optional cid: absent, or a string of 1..64 code points.
bool cid_field(const object& o, std::string& out, bool& present) {
  std::string_view v;
  switch (string_field(o, "cid", v)) {
    case Field::absent:
      present = false;
      return true;
    case Field::bad:
      return false;
    case Field::string:
      present = true;
      out = std::string(v);
      return !v.empty() && code_points(v) <= Limits::cid;
  }
  return false;
}

object ok_object() {
  object o;
  o["ok"] = true;
  return o;
}

array to_array(const std::vector<std::string>& v) {
  array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string format_bytes(std::size_t n) {
  char buf[64];
  if (n >= (1u << 20) && n % (1u << 20) == 0) {
    std::snprintf(buf, sizeof buf, "%zu MB", n >> 20);
  } else if (n >= 1024 && n % 1024 == 0) {
    std::snprintf(buf, sizeof buf, "%zu KB", n >> 10);
  } else {
    std::snprintf(buf, sizeof buf, "%zu bytes", n);
  }
  return buf;
}

std::string random_run() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
  return buf;
}

}  // namespace

ChatState::ChatState(ChatConfig config) : config_(config), run_(random_run()) {
  rooms_[kDefaultRoom].name = kDefaultRoom;
}

ChatState::Member* ChatState::member(const std::string& id) {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

ChatState::Room* ChatState::room_of(const Member& m) {
  if (m.room.empty()) return nullptr;
  auto it = rooms_.find(m.room);
  return it == rooms_.end() ? nullptr : &it->second;
}

std::string ChatState::holder(const Room& room, std::string_view nick) const {
  std::string key = nick_key(nick);
  for (const auto& id : room.members) {
    auto it = members_.find(id);
    if (it != members_.end() && nick_key(it->second.nick) == key) return id;
  }
  return {};
}

std::vector<std::string> ChatState::nicks(const Room& room) const {
  std::vector<std::string> out;
  for (const auto& id : room.members) out.push_back(members_.at(id).nick);
  return out;
}

sio::Payload ChatState::room_list() const {
  array list;
  for (const auto& [name, room] : rooms_) {
    object r;
    r["name"] = name;
    r["members"] = room.members.size();
    list.emplace_back(std::move(r));
  }
  return json_payload(std::move(list));
}

void ChatState::announce_rooms(Outcome& out) const {
  out.emits.push_back({Emit::To::everyone, {}, {}, "rooms", room_list(), false});
}

Outcome ChatState::connect(const std::string& id, Clock::time_point now) {
  members_.try_emplace(id, Member{{}, {}, {}, FloodGuard(now)});
  Outcome out;
  out.emits.push_back({Emit::To::socket, id, {}, "rooms", room_list(), false});
  return out;
}

Outcome ChatState::disconnect(const std::string& id) {
  Outcome out;
  if (Member* m = member(id)) {
    leave(id, *m, out, true);
    members_.erase(id);
  }
  return out;
}

FloodGuard::Verdict ChatState::admit(const std::string& id, bool typing, Clock::time_point now) {
  Member* m = member(id);
  return m ? m->guard.admit(typing, now) : FloodGuard::Verdict::kick;
}

Outcome ChatState::kick(const std::string& id) {
  Outcome out;
  object notice;
  notice["reason"] = "flood";
  notice["message"] = "Disconnected for sending too many requests.";
  out.emits.push_back({Emit::To::socket, id, {}, "kicked", json_payload(std::move(notice)), false});
  out.disconnect.push_back(id);
  return out;
}

sio::Payload ChatState::rate_limited() {
  return failure("rate-limited");
}

sio::Payload ChatState::shutdown_notice() {
  object o;
  o["message"] = "The server is shutting down.";
  return json_payload(std::move(o));
}

// Leaves the member's room: presence to those who stay, and (unless the
// caller will do it) the new room list to everyone.
void ChatState::leave(const std::string& id, Member& m, Outcome& out, bool announce) {
  Room* room = room_of(m);
  std::string name = m.room;
  m.room.clear();
  if (!room) return;
  auto it = std::find(room->members.begin(), room->members.end(), id);
  if (it == room->members.end()) return;
  room->members.erase(it);
  object p;
  p["room"] = name;
  p["members"] = to_array(nicks(*room));
  p["left"] = m.nick;
  out.emits.push_back({Emit::To::room, name, {}, "presence", json_payload(std::move(p)), false});
  if (announce) announce_rooms(out);
}

// Forgets the quietest empty room when the table is full; false when all are busy.
bool ChatState::make_room_for() {
  if (rooms_.size() < Limits::rooms) return true;
  auto victim = rooms_.end();
  for (auto it = rooms_.begin(); it != rooms_.end(); ++it) {
    if (it->first == kDefaultRoom || !it->second.members.empty()) continue;
    if (victim == rooms_.end() || it->second.last_active < victim->second.last_active) victim = it;
  }
  if (victim == rooms_.end()) return false;
  rooms_.erase(victim);
  return true;
}

Outcome ChatState::join(const std::string& id, const sio::Payload& p, std::int64_t now_ms) {
  Outcome out;
  Member* me = member(id);
  const object* o = as_object(p);
  std::string_view nick_in, room_in, client_in;
  if (!me || !o || !required_string(*o, "nick", nick_in) || !required_string(*o, "room", room_in) ||
      string_field(*o, "clientId", client_in) == Field::bad) {
    out.answer = failure("bad-request");
    return out;
  }
  std::string nick(trim_ascii(nick_in));
  std::string room_name(trim_ascii(room_in));
  std::string_view bad = check_nick(nick);
  if (bad.empty()) bad = check_room(room_name);
  if (!bad.empty()) {
    out.answer = failure(bad);
    return out;
  }
  std::string client_id(client_in.substr(0, Limits::client_id));
  const value* resume = o->if_contains("resume");
  bool resuming = resume && resume->is_bool() && resume->get_bool();

  auto found = rooms_.find(room_name);
  if (found != rooms_.end()) {
    std::string held = holder(found->second, nick);
    if (!held.empty() && held != id) {
      Member& other = members_.at(held);
      if (client_id.empty() || other.client_id != client_id) {
        out.answer = failure("nick-taken");
        return out;
      }
      // The same tab, whose previous connection has not been seen to drop yet.
      leave(held, other, out, false);
      out.disconnect.push_back(held);
    }
  } else {
    if (!make_room_for()) {
      out.answer = failure("too-many-rooms");
      return out;
    }
    found = rooms_.emplace(room_name, Room{room_name, {}, {}, now_ms}).first;
  }
  Room& room = found->second;

  auto answer = [&] {
    sio::PayloadBuilder b;
    object a = ok_object();
    a["nick"] = nick;
    a["room"] = room_name;
    a["members"] = to_array(nicks(room));
    array history;
    if (!resuming) {
      for (const auto& m : room.history) history.emplace_back(message_json(m, b));
    }
    a["history"] = std::move(history);
    object limits;
    limits["maxUpload"] = config_.max_upload;
    limits["maxText"] = Limits::text;
    limits["maxNick"] = Limits::nick;
    limits["maxRoom"] = Limits::room;
    limits["history"] = config_.history;
    a["limits"] = std::move(limits);
    return b.build(std::move(a));
  };

  if (me->room == room_name && me->nick == nick) {  // already there
    out.answer = answer();
    return out;
  }
  if (!me->room.empty()) {
    out.leave_room = me->room;
    leave(id, *me, out, false);
  }
  me->nick = nick;
  me->room = room_name;
  me->client_id = client_id;
  room.members.push_back(id);
  room.last_active = now_ms;
  out.join_room = room_name;
  object presence;
  presence["room"] = room_name;
  presence["members"] = to_array(nicks(room));
  presence["joined"] = nick;
  out.emits.push_back({Emit::To::room, room_name, {}, "presence", json_payload(std::move(presence)), false});
  announce_rooms(out);
  out.answer = answer();
  return out;
}

template <class Deliver>
Outcome ChatState::once(const Member& m, const std::string* cid, Deliver deliver) {
  if (!cid || m.client_id.empty()) return deliver();
  std::string key = m.client_id + '\0' + *cid;
  if (auto it = answered_.find(key); it != answered_.end()) {
    Outcome out;
    out.answer = it->second;
    return out;
  }
  Outcome out = deliver();
  const value& a = out.answer.json();
  if (a.is_object() && a.get_object().if_contains("ok") && a.get_object().at("ok") == value(true)) {
    answered_.emplace(key, out.answer);
    answered_order_.push_back(std::move(key));
    if (answered_order_.size() > Limits::remembered_cids) {
      answered_.erase(answered_order_.front());
      answered_order_.pop_front();
    }
  }
  return out;
}

std::string ChatState::next_id() {
  return run_ + "-" + std::to_string(++seq_);
}

void ChatState::record(Room& room, Message msg) {
  room.last_active = msg.time;
  room.history.push_back(std::move(msg));
  while (room.history.size() > config_.history) room.history.pop_front();
  // Keep the newest attachments' bytes within budget; older ones expire.
  std::size_t kept = 0;
  for (auto it = room.history.rbegin(); it != room.history.rend(); ++it) {
    if (!it->is_file || it->expired) continue;
    if (kept + it->file_size > Limits::history_attachment_bytes) {
      it->file_data = sio::Binary();
      it->expired = true;
    } else {
      kept += it->file_size;
    }
  }
}

static sio::Payload ack_payload(const Message& m) {
  object a = ok_object();
  a["id"] = m.id;
  a["time"] = m.time;
  return sio::Payload(value(std::move(a)));
}

Outcome ChatState::message(const std::string& id, const sio::Payload& p, std::int64_t now_ms) {
  Outcome out;
  Member* me = member(id);
  Room* room = me ? room_of(*me) : nullptr;
  if (!room) {
    out.answer = failure("not-joined");
    return out;
  }
  const object* o = as_object(p);
  std::string_view text;
  std::string cid;
  bool has_cid = false;
  if (!o || !required_string(*o, "text", text) || !cid_field(*o, cid, has_cid)) {
    out.answer = failure("bad-request");
    return out;
  }
  if (auto bad = check_text(text); !bad.empty()) {
    out.answer = failure(bad);
    return out;
  }
  return once(*me, has_cid ? &cid : nullptr, [&] {
    Outcome o2;
    Message m;
    m.id = next_id();
    m.room = room->name;
    m.from = me->nick;
    m.time = now_ms;
    m.text = std::string(text);
    sio::PayloadBuilder b;
    value json = message_json(m, b);
    o2.emits.push_back({Emit::To::room, room->name, id, "message", b.build(std::move(json)), false});
    o2.answer = ack_payload(m);
    me->typed = false;  // the next keystroke shows "typing" again
    record(*room, std::move(m));
    return o2;
  });
}

Outcome ChatState::dm(const std::string& id, const sio::Payload& p, std::int64_t now_ms) {
  Outcome out;
  Member* me = member(id);
  Room* room = me ? room_of(*me) : nullptr;
  if (!room) {
    out.answer = failure("not-joined");
    return out;
  }
  const object* o = as_object(p);
  std::string_view to, text;
  std::string cid;
  bool has_cid = false;
  if (!o || !required_string(*o, "to", to) || !required_string(*o, "text", text) || !cid_field(*o, cid, has_cid)) {
    out.answer = failure("bad-request");
    return out;
  }
  if (auto bad = check_text(text); !bad.empty()) {
    out.answer = failure(bad);
    return out;
  }
  std::string target = holder(*room, trim_ascii(to));
  if (target.empty()) {
    out.answer = failure("no-such-user");
    return out;
  }
  if (target == id) {
    out.answer = failure("self");
    return out;
  }
  return once(*me, has_cid ? &cid : nullptr, [&] {
    Outcome o2;
    object d;
    std::string msg_id = next_id();
    d["id"] = msg_id;
    d["from"] = me->nick;
    d["to"] = members_.at(target).nick;
    d["time"] = now_ms;
    d["text"] = text;
    o2.emits.push_back({Emit::To::socket, target, {}, "dm", json_payload(std::move(d)), false});
    object a = ok_object();
    a["id"] = msg_id;
    a["time"] = now_ms;
    o2.answer = json_payload(std::move(a));
    return o2;
  });
}

Outcome ChatState::upload(const std::string& id, const sio::Payload& p, std::int64_t now_ms) {
  Outcome out;
  Member* me = member(id);
  Room* room = me ? room_of(*me) : nullptr;
  if (!room) {
    out.answer = failure("not-joined");
    return out;
  }
  const object* o = as_object(p);
  std::string_view name_in, type_in;
  std::string cid;
  bool has_cid = false;
  const sio::Binary* data = nullptr;
  if (o) {
    if (const value* d = o->if_contains("data")) data = p.binary(*d);
  }
  if (!o || !data || !required_string(*o, "name", name_in) || string_field(*o, "type", type_in) == Field::bad ||
      !cid_field(*o, cid, has_cid)) {
    out.answer = failure("bad-request");
    return out;
  }
  if (data->size() > config_.max_upload) {
    out.answer = failure("too-large", "The file is larger than the upload limit (" + format_bytes(config_.max_upload) + ").");
    return out;
  }
  std::string_view name = trim_ascii(name_in);
  std::size_t name_len = code_points(name);
  if (name_len == 0 || name_len > Limits::file_name) {
    out.answer = failure("bad-request");
    return out;
  }
  return once(*me, has_cid ? &cid : nullptr, [&] {
    Outcome o2;
    Message m;
    m.id = next_id();
    m.room = room->name;
    m.from = me->nick;
    m.time = now_ms;
    m.is_file = true;
    m.file_name = std::string(name);
    m.file_type = normalise_type(type_in);
    m.file_size = data->size();
    m.file_data = *data;
    sio::PayloadBuilder b;
    value json = message_json(m, b);
    o2.emits.push_back({Emit::To::room, room->name, id, "message", b.build(std::move(json)), false});
    o2.answer = ack_payload(m);
    record(*room, std::move(m));
    return o2;
  });
}

Outcome ChatState::history_since(const std::string& id, const sio::Payload& p) {
  Outcome out;
  Member* me = member(id);
  const object* o = as_object(p);
  std::string_view room_in, since;
  Field since_kind = Field::absent;
  if (o) {
    since_kind = string_field(*o, "since", since);
    if (since_kind == Field::bad && o->at("since").is_null()) since_kind = Field::absent;
  }
  if (!me || !o || !required_string(*o, "room", room_in) || since_kind == Field::bad) {
    out.answer = failure("bad-request");
    return out;
  }
  Room* room = room_of(*me);
  if (!room || room->name != trim_ascii(room_in)) {
    out.answer = failure("not-joined");
    return out;
  }
  auto from = room->history.begin();
  bool reset = true;
  if (since_kind == Field::string) {
    auto at = std::find_if(room->history.begin(), room->history.end(), [&](const Message& m) { return m.id == since; });
    if (at != room->history.end()) {
      from = std::next(at);
      reset = false;
    }
  }
  sio::PayloadBuilder b;
  array messages;
  for (auto it = from; it != room->history.end(); ++it) messages.emplace_back(message_json(*it, b));
  object a = ok_object();
  a["messages"] = std::move(messages);
  a["reset"] = reset;
  out.answer = b.build(std::move(a));
  return out;
}

Outcome ChatState::rooms(const std::string&) {
  Outcome out;
  object a = ok_object();
  a["rooms"] = room_list().json();
  out.answer = json_payload(std::move(a));
  return out;
}

Outcome ChatState::typing(const std::string& id, Clock::time_point now) {
  Outcome out;
  Member* me = member(id);
  Room* room = me ? room_of(*me) : nullptr;
  if (!room) return out;
  if (me->typed && now - me->last_typing < std::chrono::seconds(1)) return out;  // once a second
  me->typed = true;
  me->last_typing = now;
  object t;
  t["room"] = room->name;
  t["nick"] = me->nick;
  out.emits.push_back({Emit::To::room, room->name, id, "typing", json_payload(std::move(t)), true});
  return out;
}

}  // namespace chat
