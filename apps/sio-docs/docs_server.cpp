#include "docs_server.hpp"

#include <array>
#include <functional>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "op_json.hpp"

namespace docs {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view kRoom = "doc";
constexpr std::size_t kMaxName = 32;      // code points
constexpr std::size_t kMaxClientId = 64;  // bytes of a page's id
constexpr std::array<std::string_view, 8> kColors{"#d1495b", "#00798c", "#edae49", "#66a182",
                                                  "#8d5a97", "#2e4057", "#e07a5f", "#3d5a80"};

value refusal(Refusal r) {
  object o;
  o["ok"] = false;
  o["error"] = code(r);
  o["message"] = message(r);
  return o;
}

const object* as_object(const sio::Payload& p) {
  if (p.is_binary() || !p.json().is_object()) return nullptr;
  return &p.json().get_object();
}

// A non-negative integer field, or nullopt.
std::optional<std::uint64_t> count_field(const object& o, std::string_view key) {
  const value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

// The name trimmed of ASCII white space: 1..kMaxName code points, no control
// characters; nullopt otherwise.
std::optional<std::string> clean_name(const value* v) {
  if (!v || !v->is_string()) return std::nullopt;
  std::string_view s = v->get_string();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  auto points = ot::from_utf8(s);
  if (!points || points->empty() || points->size() > kMaxName) return std::nullopt;
  for (char32_t c : *points) {
    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029) return std::nullopt;
  }
  return std::string(s);
}

object revision_json(const Revision& r, bool mine) {
  object o;
  o["revision"] = r.number;
  o["op"] = op_to_json(r.op);
  if (mine) {
    o["mine"] = true;
    o["seq"] = r.seq;
  }
  return o;
}

sio::Args args(value v) {
  sio::Args a;
  a.emplace_back(std::move(v));
  return a;
}

}  // namespace

DocsServer::DocsServer(sio::Server& io, DocLimits limits) : io_(io), doc_(limits) {
  io_.on_connection([this](sio::Socket& socket) { accept(socket); });
}

void DocsServer::accept(sio::Socket& socket) {
  // Each request is answered through its acknowledgement when it asks for one.
  auto handler = [this, &socket](value (DocsServer::*fn)(sio::Socket&, const sio::Payload&)) {
    return [this, &socket, fn](sio::Event& ev) {
      std::lock_guard lock(mutex_);
      value answer = (this->*fn)(socket, ev.arg(0));
      if (ev.wants_ack() && !answer.is_null()) ev.ack(sio::Payload(std::move(answer)));
    };
  };
  socket.on("join", handler(&DocsServer::join));
  socket.on("op", handler(&DocsServer::edit));
  socket.on("cursor", handler(&DocsServer::cursor));
  socket.on_disconnect([this, id = socket.id()](sio::DisconnectReason) {
    std::lock_guard lock(mutex_);
    leave(id);
  });
}

// join {name, clientId, revision?}: the text (or, when `revision` is still in
// the history, the operations since, the page's own marked), and who is here.
value DocsServer::join(sio::Socket& socket, const sio::Payload& p) {
  const object* o = as_object(p);
  if (!o) return refusal(Refusal::bad_request);
  const value* client = o->if_contains("clientId");
  if (!client || !client->is_string() || client->get_string().empty() ||
      client->get_string().size() > kMaxClientId) {
    return refusal(Refusal::bad_request);
  }
  std::optional<std::string> name = clean_name(o->if_contains("name"));
  if (!name) return refusal(Refusal::bad_name);
  std::optional<std::uint64_t> since;
  if (o->contains("revision")) {
    since = count_field(*o, "revision");
    if (!since) return refusal(Refusal::bad_request);
  }

  Member& m = members_[socket.id()];
  bool fresh = m.name.empty();
  m.name = *name;
  m.client = std::string(client->get_string());
  if (fresh) m.color = pick_color(m.client);
  socket.join(kRoom);

  object answer;
  answer["ok"] = true;
  answer["id"] = socket.id();
  answer["color"] = m.color;
  answer["revision"] = doc_.revision();
  std::optional<std::vector<const Revision*>> missed;
  if (since) missed = doc_.since(*since);
  if (missed) {
    array ops;
    for (const Revision* r : *missed) ops.emplace_back(revision_json(*r, r->client == m.client));
    answer["ops"] = std::move(ops);
  } else {
    answer["text"] = ot::to_utf8(doc_.text());
    answer["applied"] = doc_.last_seq(m.client);  // the page's last operation in that text
  }
  answer["users"] = users();
  object limits;
  limits["maxLength"] = doc_.limits().max_length;
  limits["history"] = doc_.limits().history;
  answer["limits"] = std::move(limits);
  broadcast_presence();
  return answer;
}

// op {revision, seq, op}: transformed, applied, sent to the others as
// op {revision, op}; answered {ok, revision}.
value DocsServer::edit(sio::Socket& socket, const sio::Payload& p) {
  auto mit = members_.find(socket.id());
  const object* o = as_object(p);
  if (mit == members_.end() || !o) return refusal(Refusal::bad_request);
  std::optional<std::uint64_t> base = count_field(*o, "revision");
  std::optional<std::uint64_t> seq = count_field(*o, "seq");
  const value* opv = o->if_contains("op");
  if (!base || !seq || *seq == 0 || !opv) return refusal(Refusal::bad_request);
  auto parsed = op_from_json(*opv, doc_.limits().max_components, doc_.limits().max_length);
  if (auto* r = std::get_if<Refusal>(&parsed)) return refusal(*r);

  auto result = doc_.submit(mit->second.client, *seq, *base, std::move(std::get<ot::Operation>(parsed)));
  if (auto* r = std::get_if<Refusal>(&result)) return refusal(*r);
  const Accepted& done = std::get<Accepted>(result);
  if (done.applied) {
    for (auto& [id, member] : members_) {
      member.from = ot::transform_index(member.from, done.applied->op);
      member.to = ot::transform_index(member.to, done.applied->op);
    }
    object b;
    b["revision"] = done.revision;
    b["op"] = op_to_json(done.applied->op);
    io_.to(kRoom).except(socket.id()).emit_args("op", args(std::move(b)));
  }
  object answer;
  answer["ok"] = true;
  answer["revision"] = done.revision;
  if (!done.applied) answer["repeat"] = true;
  return answer;
}

// cursor {revision, from, to}: moved to the current revision, kept, and sent
// to the others as cursor {id, from, to, revision}. Unanswered unless asked.
value DocsServer::cursor(sio::Socket& socket, const sio::Payload& p) {
  auto mit = members_.find(socket.id());
  const object* o = as_object(p);
  if (mit == members_.end() || !o) return refusal(Refusal::bad_request);
  std::optional<std::uint64_t> rev = count_field(*o, "revision");
  std::optional<std::uint64_t> from = count_field(*o, "from");
  std::optional<std::uint64_t> to = count_field(*o, "to");
  if (!rev || !from || !to) return refusal(Refusal::bad_request);
  auto f = doc_.transform_index(*rev, static_cast<std::size_t>(*from));
  auto t = doc_.transform_index(*rev, static_cast<std::size_t>(*to));
  if (!f || !t) return refusal(*rev > doc_.revision() ? Refusal::bad_revision : Refusal::stale_revision);
  mit->second.from = *f;
  mit->second.to = *t;
  object b;
  b["id"] = socket.id();
  b["from"] = *f;
  b["to"] = *t;
  b["revision"] = doc_.revision();
  io_.to(kRoom).except(socket.id()).emit_args("cursor", args(std::move(b)));
  object answer;
  answer["ok"] = true;
  return answer;
}

// The page's own colour (from its id, so it keeps it across reconnections)
// unless someone here has it; then the next free one.
std::string DocsServer::pick_color(const std::string& client) const {
  std::size_t start = std::hash<std::string>{}(client) % kColors.size();
  for (std::size_t k = 0; k < kColors.size(); ++k) {
    std::string_view c = kColors[(start + k) % kColors.size()];
    bool taken = false;
    for (const auto& [id, m] : members_) taken = taken || m.color == c;
    if (!taken) return std::string(c);
  }
  return std::string(kColors[start]);
}

void DocsServer::leave(const std::string& id) {
  if (members_.erase(id) > 0) broadcast_presence();
}

value DocsServer::users() const {
  array list;
  for (const auto& [id, m] : members_) {
    object u;
    u["id"] = id;
    u["name"] = m.name;
    u["color"] = m.color;
    u["from"] = m.from;
    u["to"] = m.to;
    list.emplace_back(std::move(u));
  }
  return list;
}

void DocsServer::broadcast_presence() {
  object b;
  b["users"] = users();
  b["revision"] = doc_.revision();
  io_.to(kRoom).emit_args("presence", args(std::move(b)));
}

}  // namespace docs
