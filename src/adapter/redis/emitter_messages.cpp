#include "adapter/redis/emitter_messages.hpp"

#include <stdexcept>

#include "adapter/cluster/channels.hpp"
#include "adapter/cluster/message_codec.hpp"
#include "adapter/redis/convert.hpp"
#include "wire/sio_packet.hpp"

namespace sio::adapter::redis {

namespace {

constexpr std::string_view kEmitterUid = "emitter";  // the Node emitter's uid

void refuse_reserved(std::string_view event) {
  if (wire::socketio::is_reserved_event(event))
    throw std::invalid_argument("\"" + std::string(event) + "\" is a reserved event name");
}

}  // namespace

Publication emitter_event(std::string_view key, std::string_view nsp, const BroadcastOptions& o, std::string_view event,
                          Args args) {
  refuse_reserved(event);
  cluster::BroadcastMessage m;
  m.uid = std::string(kEmitterUid);
  m.packet = to_cluster_packet(BroadcastPacket{std::string(nsp), std::string(event), std::move(args), std::nullopt});
  m.opts = to_cluster_options(o);
  m.emitter_order = true;
  const cluster::Channels channels(key, nsp);
  return {channels.broadcast(m.opts.selector.rooms), cluster::encode_broadcast(m)};
}

Publication emitter_rooms(std::string_view key, std::string_view nsp, const BroadcastOptions& o, bool join,
                          std::vector<std::string> rooms) {
  cluster::RoomsRequest r;
  r.type = join ? cluster::RequestType::remote_join : cluster::RequestType::remote_leave;
  r.opts = to_selector(o);
  r.rooms = std::move(rooms);
  return {cluster::Channels(key, nsp).request(), cluster::encode_request(r)};
}

Publication emitter_disconnect(std::string_view key, std::string_view nsp, const BroadcastOptions& o, bool close) {
  cluster::DisconnectRequest r;
  r.opts = to_selector(o);
  r.close = close;
  return {cluster::Channels(key, nsp).request(), cluster::encode_request(r)};
}

Publication emitter_server_side(std::string_view key, std::string_view nsp, std::string_view event, Args args) {
  cluster::ServerSideEmitRequest r;
  r.uid = std::string(kEmitterUid);
  const cluster::ClusterPacket p =
      to_cluster_packet(BroadcastPacket{std::string(nsp), std::string(event), std::move(args), std::nullopt});
  r.data = p.data;
  r.attachments = p.attachments;
  return {cluster::Channels(key, nsp).request(), cluster::encode_request(r)};
}

}  // namespace sio::adapter::redis
