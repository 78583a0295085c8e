// Decoding of the cluster messages (the Node adapter's wire format).
#include "adapter/cluster/message_codec.hpp"

#include <msgpuck.h>

#include <boost/json/string.hpp>

#include <sio/error.hpp>

#include "adapter/cluster/msgpack_type.hpp"
#include "adapter/cluster/msgpack_value.hpp"
#include "wire/sio_json.hpp"

namespace sio::adapter::cluster {
namespace json = boost::json;
namespace sock = wire::socketio;

namespace {

// ======================= decoding =======================

std::error_code bad() { return make_error_code(errc::cluster_bad_message); }

// A room or socket id as JavaScript would name it: strings as they are,
// numbers (a numeric room) in their JSON form.
std::optional<std::string> js_key(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string(*s);
  if (v.is_number()) {
    std::string out;
    sock::append_json(out, v);
    return out;
  }
  return std::nullopt;
}

// A missing member reads as empty (Node's `new Set(undefined)`).
bool read_strings(const json::object& o, std::string_view key, std::vector<std::string>& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  const auto* a = it->value().if_array();
  if (!a) return false;
  out.reserve(a->size());
  for (const auto& e : *a) {
    auto k = js_key(e);
    if (!k) return false;
    out.push_back(std::move(*k));
  }
  return true;
}

std::optional<std::string> read_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  return js_key(it->value());
}

bool read_selector(const json::value& v, Selector& s) {
  const auto* o = v.if_object();
  return o && read_strings(*o, "rooms", s.rooms) && read_strings(*o, "except", s.except);
}

std::optional<bool> read_bool(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().get_bool();
}

std::optional<std::uint64_t> read_uint(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::uint64_t>(v.get_int64());
  if (v.is_double() && v.get_double() >= 0 && v.get_double() < 1.8e19)
    return static_cast<std::uint64_t>(v.get_double());
  return std::nullopt;
}

void read_flags(const json::object& o, BroadcastFlags& f) {
  f.compress = read_bool(o, "compress");
  f.volatile_ = read_bool(o, "volatile");
  f.local = read_bool(o, "local");
  if (auto it = o.find("timeout"); it != o.end()) f.timeout = read_uint(it->value());
}

bool read_opts(const json::value& v, BroadcastOptions& opts) {
  if (!read_selector(v, opts.selector)) return false;
  const auto& o = v.get_object();
  if (auto it = o.find("flags"); it != o.end() && it->value().is_object()) read_flags(it->value().get_object(), opts.flags);
  return true;
}

// {type, data, nsp[, id]} decoded with its own attachments.
bool read_packet(json::value v, Attachments att, ClusterPacket& p) {
  auto* o = v.if_object();
  if (!o) return false;
  auto type = o->find("type");
  if (type == o->end()) return false;
  auto t = read_uint(type->value());
  if (!t || (*t != 2 && *t != 5)) return false;  // only events are broadcast
  auto data = o->find("data");
  if (data == o->end() || !data->value().is_array()) return false;
  p.data = std::move(data->value().get_array());
  if (!sock::placeholders_valid(p.data, att.size())) return false;
  p.attachments = std::move(att);
  // The emitter always names the namespace; Node treats a missing one as "/".
  p.nsp = read_string(*o, "nsp").value_or("/");
  if (auto id = o->find("id"); id != o->end()) p.id = read_uint(id->value());
  return true;
}

// One msgpack value with its own attachments.
std::optional<json::value> mp_value(const char** p, const char* end, Attachments& att, std::error_code& ec) {
  auto v = decode_msgpack(p, end, att, ec);
  if (!ec && !v) v = json::value(nullptr);  // undefined
  return v;
}

// A msgpack map whose "packet" member keeps its own attachments.
std::optional<json::object> mp_envelope(std::string_view payload, json::value* packet, Attachments* packet_att,
                                        std::error_code& ec) {
  const char* p = payload.data();
  const char* end = p + payload.size();
  if (!msgpack_valid(p, end) || msgpack_type(*p) != MP_MAP) {
    ec = bad();
    return std::nullopt;
  }
  const std::uint32_t n = mp_decode_map(&p);
  json::object o;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (msgpack_type(*p) != MP_STR) {
      ec = bad();
      return std::nullopt;
    }
    std::uint32_t len = 0;
    const char* k = mp_decode_str(&p, &len);
    const std::string_view key(k, len);
    Attachments att;
    auto v = mp_value(&p, end, att, ec);
    if (ec) return std::nullopt;
    if (key == "packet") {
      *packet = std::move(*v);
      *packet_att = std::move(att);
    } else {
      o[key] = std::move(*v);
    }
  }
  return o;
}

std::optional<Request> request_from(const json::object& o, json::value packet, Attachments packet_att) {
  auto type_it = o.find("type");
  if (type_it == o.end()) return std::nullopt;
  auto type = read_uint(type_it->value());
  if (!type) return std::nullopt;
  const std::string uid = read_string(o, "uid").value_or("");
  const auto request_id = read_string(o, "requestId");
  switch (static_cast<RequestType>(*type)) {
    case RequestType::sockets: {
      if (!request_id) return std::nullopt;
      SocketsRequest r{uid, *request_id, {}};
      if (!read_strings(o, "rooms", r.rooms)) return std::nullopt;
      return r;
    }
    case RequestType::all_rooms:
      if (!request_id) return std::nullopt;
      return AllRoomsRequest{uid, *request_id};
    case RequestType::remote_join:
    case RequestType::remote_leave: {
      RoomsRequest r;
      r.type = static_cast<RequestType>(*type);
      r.uid = uid;
      r.request_id = request_id;
      if (auto it = o.find("opts"); it != o.end()) {
        r.opts.emplace();
        if (!read_selector(it->value(), *r.opts)) return std::nullopt;
        if (!read_strings(o, "rooms", r.rooms)) return std::nullopt;
      } else {
        r.sid = read_string(o, "sid");
        r.room = read_string(o, "room");
        if (!r.sid || !r.room) return std::nullopt;
      }
      return r;
    }
    case RequestType::remote_disconnect: {
      DisconnectRequest r;
      r.uid = uid;
      r.request_id = request_id;
      r.close = read_bool(o, "close").value_or(false);
      if (auto it = o.find("opts"); it != o.end()) {
        r.opts.emplace();
        if (!read_selector(it->value(), *r.opts)) return std::nullopt;
      } else {
        r.sid = read_string(o, "sid");
        if (!r.sid) return std::nullopt;
      }
      return r;
    }
    case RequestType::remote_fetch: {
      FetchSocketsRequest r{uid, request_id.value_or(""), {}};
      auto it = o.find("opts");
      if (!request_id || it == o.end() || !read_selector(it->value(), r.opts)) return std::nullopt;
      return r;
    }
    case RequestType::server_side_emit: {
      ServerSideEmitRequest r{uid, request_id, {}, {}};
      auto it = o.find("data");
      if (it == o.end() || !it->value().is_array()) return std::nullopt;
      r.data = it->value().get_array();
      return r;
    }
    case RequestType::broadcast: {
      BroadcastWithAckRequest r{uid, request_id.value_or(""), {}, {}};
      auto it = o.find("opts");
      if (!request_id || it == o.end() || !read_opts(it->value(), r.opts)) return std::nullopt;
      if (!read_packet(std::move(packet), std::move(packet_att), r.packet)) return std::nullopt;
      return r;
    }
    default:
      return std::nullopt;
  }
}

std::optional<json::object> parse_json_object(std::string_view payload, std::error_code& ec) {
  json::value v = sock::parse_json(payload, ec);
  if (ec || !v.is_object()) {
    ec = bad();
    return std::nullopt;
  }
  return std::move(v.get_object());
}

}  // namespace

std::optional<BroadcastMessage> decode_broadcast(std::string_view payload, std::error_code& ec) {
  ec.clear();
  const char* p = payload.data();
  const char* end = p + payload.size();
  if (!msgpack_valid(p, end) || msgpack_type(*p) != MP_ARRAY || mp_decode_array(&p) < 3) {
    ec = bad();
    return std::nullopt;
  }
  BroadcastMessage m;
  Attachments none, packet_att;
  auto uid = mp_value(&p, end, none, ec);
  if (ec || !uid->is_string()) return ec = bad(), std::nullopt;
  m.uid = uid->get_string();
  auto packet = mp_value(&p, end, packet_att, ec);
  if (ec || !read_packet(std::move(*packet), std::move(packet_att), m.packet)) return ec = bad(), std::nullopt;
  auto opts = mp_value(&p, end, none, ec);
  if (ec || !read_opts(*opts, m.opts)) return ec = bad(), std::nullopt;
  return m;
}

std::optional<Request> decode_request(std::string_view payload, std::error_code& ec) {
  ec.clear();
  std::optional<json::object> o;
  json::value packet;
  Attachments packet_att;
  if (!payload.empty() && payload[0] == '{')
    o = parse_json_object(payload, ec);
  else
    o = mp_envelope(payload, &packet, &packet_att, ec);
  if (ec) return std::nullopt;
  auto r = request_from(*o, std::move(packet), std::move(packet_att));
  if (!r) ec = bad();
  return r;
}

std::optional<Response> decode_response(std::string_view payload, const PendingLookup& pending, std::error_code& ec) {
  ec.clear();
  std::optional<json::object> o;
  json::value packet;
  Attachments packet_att;
  if (!payload.empty() && payload[0] == '{')
    o = parse_json_object(payload, ec);
  else
    o = mp_envelope(payload, &packet, &packet_att, ec);
  if (ec) return std::nullopt;
  auto request_id = read_string(*o, "requestId");
  if (!request_id) return ec = bad(), std::nullopt;
  auto asked = pending(*request_id);
  if (!asked) return std::nullopt;  // someone else's request

  std::optional<std::uint64_t> type;
  if (auto it = o->find("type"); it != o->end()) type = read_uint(it->value());
  if (type == static_cast<unsigned>(RequestType::broadcast_client_count)) {
    auto it = o->find("clientCount");
    auto n = it == o->end() ? std::nullopt : read_uint(it->value());
    if (!n) return ec = bad(), std::nullopt;
    return ClientCountResponse{*request_id, *n};
  }
  if (type == static_cast<unsigned>(RequestType::broadcast_ack))
    return BroadcastAckResponse{*request_id, std::move(packet), std::move(packet_att)};
  if (type == static_cast<unsigned>(RequestType::server_side_emit)) {
    auto it = o->find("data");
    return ServerSideEmitResponse{*request_id, it == o->end() ? json::value(nullptr) : it->value(), {}};
  }

  switch (*asked) {
    case RequestType::sockets: {
      SocketIdsResponse r{*request_id, {}};
      if (!read_strings(*o, "sockets", r.sockets)) return ec = bad(), std::nullopt;
      return r;
    }
    case RequestType::all_rooms: {
      AllRoomsResponse r{*request_id, {}};
      if (!read_strings(*o, "rooms", r.rooms)) return ec = bad(), std::nullopt;
      return r;
    }
    case RequestType::remote_fetch: {
      FetchSocketsResponse r{*request_id, {}};
      auto it = o->find("sockets");
      const auto* a = it == o->end() ? nullptr : it->value().if_array();
      if (!a) return ec = bad(), std::nullopt;
      for (const auto& e : *a) {
        const auto* so = e.if_object();
        if (!so) return ec = bad(), std::nullopt;
        RemoteSocketData d;
        auto id = read_string(*so, "id");
        if (!id || !read_strings(*so, "rooms", d.rooms)) return ec = bad(), std::nullopt;
        d.id = std::move(*id);
        if (auto h = so->find("handshake"); h != so->end() && h->value().is_object()) d.handshake = h->value().get_object();
        if (auto dv = so->find("data"); dv != so->end()) d.data = dv->value();
        r.sockets.push_back(std::move(d));
      }
      return r;
    }
    default:
      return EmptyResponse{*request_id};
  }
}

}  // namespace sio::adapter::cluster
