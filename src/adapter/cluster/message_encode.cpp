// Encoding of the cluster messages (the Node adapter's wire format).
#include "adapter/cluster/message_codec.hpp"

#include <msgpuck.h>

#include <boost/json/string.hpp>

#include <sio/error.hpp>

#include "adapter/cluster/msgpack_value.hpp"
#include "wire/sio_json.hpp"

namespace sio::adapter::cluster {
namespace json = boost::json;
namespace sock = wire::socketio;

namespace {

// ======================= encoding =======================

// A JSON object written key by key in the order given (JSON.stringify keeps
// insertion order, which is what Node's object literals fix).
class JsonObj {
 public:
  explicit JsonObj(std::string& out) : out_(out) { out_.push_back('{'); }
  std::string& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    sock::append_json_string(out_, k);
    out_.push_back(':');
    return out_;
  }
  void str(std::string_view k, std::string_view v) { sock::append_json_string(key(k), v); }
  void num(std::string_view k, std::uint64_t v) { key(k) += std::to_string(v); }
  void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }
  void strs(std::string_view k, const std::vector<std::string>& v) {
    std::string& o = key(k);
    o.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) o.push_back(',');
      sock::append_json_string(o, v[i]);
    }
    o.push_back(']');
  }
  void selector(std::string_view k, const Selector& s) {
    JsonObj o(key(k));
    o.strs("rooms", s.rooms);
    o.strs("except", s.except);
    o.close();
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

void mp_strs(std::string& out, const std::vector<std::string>& v) {
  append_msgpack_array_header(out, static_cast<std::uint32_t>(v.size()));
  for (const auto& s : v) append_msgpack_str(out, s);
}

void mp_flags(std::string& out, const BroadcastFlags& f) {
  const std::uint32_t n = f.compress.has_value() + f.volatile_.has_value() + f.local.has_value() +
                          f.timeout.has_value();
  append_msgpack_map_header(out, n);
  if (f.compress) append_msgpack_str(out, "compress"), append_msgpack_bool(out, *f.compress);
  if (f.volatile_) append_msgpack_str(out, "volatile"), append_msgpack_bool(out, *f.volatile_);
  if (f.local) append_msgpack_str(out, "local"), append_msgpack_bool(out, *f.local);
  if (f.timeout) append_msgpack_str(out, "timeout"), append_msgpack_int(out, static_cast<std::int64_t>(*f.timeout));
}

// {rooms, except, flags}, as the adapter's rawOpts; {rooms, flags, except}
// in the emitter's order.
void mp_opts(std::string& out, const BroadcastOptions& o, bool emitter_order) {
  append_msgpack_map_header(out, 3);
  append_msgpack_str(out, "rooms");
  mp_strs(out, o.selector.rooms);
  if (emitter_order) append_msgpack_str(out, "flags"), mp_flags(out, o.flags);
  append_msgpack_str(out, "except");
  mp_strs(out, o.selector.except);
  if (!emitter_order) append_msgpack_str(out, "flags"), mp_flags(out, o.flags);
}

// {type, data, nsp[, id]}: socket.io builds {type, data}, the adapter sets nsp.
void mp_packet(std::string& out, const ClusterPacket& p) {
  append_msgpack_map_header(out, p.id ? 4 : 3);
  append_msgpack_str(out, "type");
  append_msgpack_int(out, static_cast<int>(sock::PacketType::event));
  append_msgpack_str(out, "data");
  append_msgpack(out, p.data, p.attachments);
  append_msgpack_str(out, "nsp");
  append_msgpack_str(out, p.nsp);
  if (p.id) {
    append_msgpack_str(out, "id");
    append_msgpack_int(out, static_cast<std::int64_t>(*p.id));
  }
}

void append_json_array_with_buffers(std::string& out, const json::array& a, const sock::Attachments& att) {
  out.push_back('[');
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i) out.push_back(',');
    append_json_with_buffers(out, a[i], att);
  }
  out.push_back(']');
}

struct RequestEncoder {
  std::string out;

  void operator()(const SocketsRequest& r) {
    JsonObj o(out);
    o.str("uid", r.uid);
    o.str("requestId", r.request_id);
    o.num("type", static_cast<unsigned>(RequestType::sockets));
    o.strs("rooms", r.rooms);
    o.close();
  }
  void operator()(const AllRoomsRequest& r) {
    JsonObj o(out);
    o.str("uid", r.uid);
    o.str("requestId", r.request_id);
    o.num("type", static_cast<unsigned>(RequestType::all_rooms));
    o.close();
  }
  void operator()(const RoomsRequest& r) {
    JsonObj o(out);
    if (!r.uid.empty()) o.str("uid", r.uid);
    if (r.request_id) o.str("requestId", *r.request_id);
    o.num("type", static_cast<unsigned>(r.type));
    if (r.sid) o.str("sid", *r.sid);
    if (r.room) o.str("room", *r.room);
    if (r.opts) o.selector("opts", *r.opts);
    if (!r.sid) o.strs("rooms", r.rooms);
    o.close();
  }
  void operator()(const DisconnectRequest& r) {
    JsonObj o(out);
    if (!r.uid.empty()) o.str("uid", r.uid);
    if (r.request_id) o.str("requestId", *r.request_id);
    o.num("type", static_cast<unsigned>(RequestType::remote_disconnect));
    if (r.sid) o.str("sid", *r.sid);
    if (r.opts) o.selector("opts", *r.opts);
    o.boolean("close", r.close);
    o.close();
  }
  void operator()(const FetchSocketsRequest& r) {
    JsonObj o(out);
    o.str("uid", r.uid);
    o.str("requestId", r.request_id);
    o.num("type", static_cast<unsigned>(RequestType::remote_fetch));
    o.selector("opts", r.opts);
    o.close();
  }
  void operator()(const ServerSideEmitRequest& r) {
    JsonObj o(out);
    o.str("uid", r.uid);
    if (r.request_id) o.str("requestId", *r.request_id);
    o.num("type", static_cast<unsigned>(RequestType::server_side_emit));
    append_json_array_with_buffers(o.key("data"), r.data, r.attachments);
    o.close();
  }
  void operator()(const BroadcastWithAckRequest& r) {  // msgpack, as Node sends it
    append_msgpack_map_header(out, 5);
    append_msgpack_str(out, "uid");
    append_msgpack_str(out, r.uid);
    append_msgpack_str(out, "requestId");
    append_msgpack_str(out, r.request_id);
    append_msgpack_str(out, "type");
    append_msgpack_int(out, static_cast<int>(RequestType::broadcast));
    append_msgpack_str(out, "packet");
    mp_packet(out, r.packet);
    append_msgpack_str(out, "opts");
    mp_opts(out, r.opts, false);
  }
};

struct ResponseEncoder {
  std::string out;

  void operator()(const SocketIdsResponse& r) {
    JsonObj o(out);
    o.str("requestId", r.request_id);
    o.strs("sockets", r.sockets);
    o.close();
  }
  void operator()(const AllRoomsResponse& r) {
    JsonObj o(out);
    o.str("requestId", r.request_id);
    o.strs("rooms", r.rooms);
    o.close();
  }
  void operator()(const FetchSocketsResponse& r) {
    JsonObj o(out);
    o.str("requestId", r.request_id);
    std::string& s = o.key("sockets");
    s.push_back('[');
    for (std::size_t i = 0; i < r.sockets.size(); ++i) {
      if (i) s.push_back(',');
      const RemoteSocketData& d = r.sockets[i];
      JsonObj so(s);
      so.str("id", d.id);
      sock::append_json(so.key("handshake"), d.handshake);
      so.strs("rooms", d.rooms);
      sock::append_json(so.key("data"), d.data);
      so.close();
    }
    s.push_back(']');
    o.close();
  }
  void operator()(const EmptyResponse& r) {
    JsonObj o(out);
    o.str("requestId", r.request_id);
    o.close();
  }
  void operator()(const ServerSideEmitResponse& r) {
    JsonObj o(out);
    o.num("type", static_cast<unsigned>(RequestType::server_side_emit));
    o.str("requestId", r.request_id);
    append_json_with_buffers(o.key("data"), r.data, r.attachments);
    o.close();
  }
  void operator()(const ClientCountResponse& r) {
    JsonObj o(out);
    o.num("type", static_cast<unsigned>(RequestType::broadcast_client_count));
    o.str("requestId", r.request_id);
    o.num("clientCount", r.client_count);
    o.close();
  }
  void operator()(const BroadcastAckResponse& r) {
    append_msgpack_map_header(out, 3);
    append_msgpack_str(out, "type");
    append_msgpack_int(out, static_cast<int>(RequestType::broadcast_ack));
    append_msgpack_str(out, "requestId");
    append_msgpack_str(out, r.request_id);
    append_msgpack_str(out, "packet");
    append_msgpack(out, r.packet, r.attachments);
  }
};

}  // namespace

void append_json_with_buffers(std::string& out, const json::value& v, const sock::Attachments& att) {
  if (auto num = sock::placeholder_num(v); num && *num < att.size()) {
    out += R"({"type":"Buffer","data":[)";
    const std::string& b = att[*num];
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (i) out.push_back(',');
      out += std::to_string(static_cast<unsigned char>(b[i]));
    }
    out += "]}";
    return;
  }
  if (const auto* a = v.if_array()) {
    append_json_array_with_buffers(out, *a, att);
    return;
  }
  if (const auto* o = v.if_object(); o && !att.empty()) {
    out.push_back('{');
    bool first = true;
    for (const auto& kv : *o) {
      if (!first) out.push_back(',');
      first = false;
      sock::append_json_string(out, kv.key());
      out.push_back(':');
      append_json_with_buffers(out, kv.value(), att);
    }
    out.push_back('}');
    return;
  }
  sock::append_json(out, v);
}

std::string encode_broadcast(const BroadcastMessage& m) {
  std::string out;
  append_msgpack_array_header(out, 3);
  append_msgpack_str(out, m.uid);
  mp_packet(out, m.packet);
  mp_opts(out, m.opts, m.emitter_order);
  return out;
}

std::string encode_request(const Request& r) {
  RequestEncoder e;
  std::visit(e, r);
  return std::move(e.out);
}

std::string encode_response(const Response& r) {
  ResponseEncoder e;
  std::visit(e, r);
  return std::move(e.out);
}

}  // namespace sio::adapter::cluster
