#include "adapter/redis/convert.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "wire/query.hpp"
#include "wire/sio_args.hpp"
#include "wire/sio_json.hpp"

namespace sio::adapter::redis {
namespace json = boost::json;
namespace sp = wire::socketio;

namespace {

// Copies `v`, giving each placeholder that refers to one of `bins` the number
// of its blob in `att` (appended on first use).
json::value renumber(const json::value& v, const std::vector<Binary>& bins, sp::Attachments& att,
                     std::vector<std::optional<std::size_t>>& map, std::size_t depth = 0) {
  if (depth > sp::kMaxJsonDepth) return nullptr;
  if (auto num = sp::placeholder_num(v); num && *num < bins.size()) {
    if (map.size() < bins.size()) map.resize(bins.size());
    if (!map[*num]) {
      att.emplace_back(bins[*num].view());
      map[*num] = att.size() - 1;
    }
    return sp::make_placeholder(*map[*num]);
  }
  if (const auto* a = v.if_array()) {
    json::array out;
    out.reserve(a->size());
    for (const auto& e : *a) out.push_back(renumber(e, bins, att, map, depth + 1));
    return out;
  }
  if (const auto* o = v.if_object()) {
    json::object out;
    out.reserve(o->size());
    for (const auto& kv : *o) out[kv.key()] = renumber(kv.value(), bins, att, map, depth + 1);
    return out;
  }
  return v;
}

std::string json_scalar_string(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string(*s);
  std::string out;
  sp::append_json(out, v);
  return out;
}

}  // namespace

void to_cluster_value(const Payload& p, json::value& out, sp::Attachments& att) {
  std::vector<std::optional<std::size_t>> map;
  out = p.binaries().empty() ? p.json() : renumber(p.json(), p.binaries(), att, map);
}

Payload from_cluster_value(json::value&& v, sp::Attachments&& att) {
  json::array one;
  one.push_back(std::move(v));
  Args a = sp::to_args(std::move(one), std::move(att), 0);
  return a.empty() ? Payload() : std::move(a.front());
}

cluster::ClusterPacket to_cluster_packet(const BroadcastPacket& p) {
  cluster::ClusterPacket out;
  out.nsp = p.nsp;
  out.id = p.id;
  out.data.reserve(p.args.size() + 1);
  out.data.emplace_back(json::string_view(p.event));
  for (const auto& a : p.args) {
    if (a.binaries().empty()) {
      out.data.push_back(a.json());
      continue;
    }
    std::vector<std::optional<std::size_t>> map;  // per argument: each has its own blob list
    out.data.push_back(renumber(a.json(), a.binaries(), out.attachments, map));
  }
  return out;
}

std::optional<BroadcastPacket> from_cluster_packet(cluster::ClusterPacket&& p) {
  if (p.data.empty() || !p.data[0].is_string()) return std::nullopt;
  BroadcastPacket out;
  out.nsp = std::move(p.nsp);
  out.event = std::string(p.data[0].get_string());
  out.args = sp::to_args(std::move(p.data), std::move(p.attachments), 1);
  return out;
}

cluster::Selector to_selector(const BroadcastOptions& o) {
  return {{o.rooms.begin(), o.rooms.end()}, {o.except.begin(), o.except.end()}};
}

cluster::BroadcastOptions to_cluster_options(const BroadcastOptions& o) {
  cluster::BroadcastOptions out;
  out.selector = to_selector(o);
  // Only what socket.io would have set: a flag at its default is left out.
  if (!o.flags.compress) out.flags.compress = false;
  if (o.flags.volatile_) out.flags.volatile_ = true;
  if (o.flags.timeout) out.flags.timeout = static_cast<std::uint64_t>(o.flags.timeout->count());
  return out;
}

BroadcastOptions from_selector(const cluster::Selector& s) {
  BroadcastOptions o;
  o.rooms.insert(s.rooms.begin(), s.rooms.end());
  o.except.insert(s.except.begin(), s.except.end());
  return o;
}

BroadcastOptions from_cluster_options(const cluster::BroadcastOptions& c) {
  BroadcastOptions o = from_selector(c.selector);
  o.flags.volatile_ = c.flags.volatile_.value_or(false);
  o.flags.compress = c.flags.compress.value_or(true);
  if (c.flags.timeout) o.flags.timeout = std::chrono::milliseconds(*c.flags.timeout);
  return o;
}

json::object handshake_json(const Handshake& h) {
  json::object headers;
  for (const auto [k, v] : h.headers()) headers[k] = v;
  json::object query;
  for (const auto [k, v] : h.query()) {
    auto it = query.find(k);
    if (it == query.end()) {
      query[k] = v;
    } else if (auto* a = it->value().if_array()) {
      a->emplace_back(json::string_view(v));
    } else {  // a repeated parameter reads as an array, as Node's querystring gives it
      json::array both;
      both.push_back(it->value());
      both.emplace_back(json::string_view(v));
      it->value() = std::move(both);
    }
  }
  json::object o;
  o["headers"] = std::move(headers);
  o["time"] = h.time();
  o["address"] = h.address();
  o["xdomain"] = h.xdomain();
  o["secure"] = h.secure();
  o["issued"] = h.issued;
  o["url"] = h.url();
  o["query"] = std::move(query);
  o["auth"] = h.auth;
  return o;
}

Handshake handshake_from_json(const json::object& o) {
  // A remote socket's handshake: its request is rebuilt from the fields Node
  // sends. "xdomain" follows from the Origin header and "time" from "issued"
  // (as on a local socket), so neither is kept.
  HttpRequest::Builder req;
  auto str = [&](const char* k) -> std::string {
    auto it = o.find(k);
    return it == o.end() ? std::string() : json_scalar_string(it->value());
  };
  if (auto it = o.find("headers"); it != o.end() && it->value().is_object())
    for (const auto& kv : it->value().get_object()) req.header(kv.key(), json_scalar_string(kv.value()));
  if (auto it = o.find("query"); it != o.end() && it->value().is_object())
    for (const auto& kv : it->value().get_object()) {
      if (const auto* a = kv.value().if_array())
        for (const auto& e : *a) req.query_param(kv.key(), json_scalar_string(e));
      else
        req.query_param(kv.key(), json_scalar_string(kv.value()));
    }
  const std::string url = str("url");
  std::string path;
  wire::percent_decode_append(path, wire::split_target(url).path, false);
  req.url(url).path(path).remote_address(str("address"));
  if (auto it = o.find("secure"); it != o.end() && it->value().is_bool()) req.secure(it->value().get_bool());
  std::int64_t issued = 0;
  if (auto it = o.find("issued"); it != o.end()) {
    const json::value& v = it->value();
    if (v.is_int64()) issued = v.get_int64();
    else if (v.is_uint64()) issued = static_cast<std::int64_t>(v.get_uint64());
    else if (v.is_double()) issued = static_cast<std::int64_t>(v.get_double());
  }
  json::object auth;
  if (auto it = o.find("auth"); it != o.end() && it->value().is_object()) auth = it->value().get_object();
  return Handshake(std::make_shared<const HttpRequest>(req.build()), issued, std::move(auth));
}

cluster::RemoteSocketData to_remote(const SocketInfo& s) {
  return {s.id, handshake_json(s.handshake), {s.rooms.begin(), s.rooms.end()}, s.data};
}

SocketInfo from_remote(cluster::RemoteSocketData&& r) {
  SocketInfo s;
  s.id = std::move(r.id);
  s.handshake = handshake_from_json(r.handshake);
  s.rooms.insert(r.rooms.begin(), r.rooms.end());
  s.data = std::move(r.data);
  return s;
}

}  // namespace sio::adapter::redis
