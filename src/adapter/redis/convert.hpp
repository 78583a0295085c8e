// Between the Socket.IO layer's values (sio::Args, SocketInfo, options) and
// the cluster messages' (JSON + attachments, selectors, remote socket data).
#pragma once

#include <optional>

#include <sio/adapter.hpp>
#include <sio/payload.hpp>

#include "adapter/adapter.hpp"
#include "adapter/cluster/messages.hpp"

namespace sio::adapter::redis {

// [event, ...args] with every blob gathered into `out.attachments`,
// placeholders renumbered in order of appearance.
cluster::ClusterPacket to_cluster_packet(const BroadcastPacket& p);
// nullopt when data[0] is not an event name.
std::optional<BroadcastPacket> from_cluster_packet(cluster::ClusterPacket&& p);

// One argument as JSON + attachments, and back.
void to_cluster_value(const Payload& p, boost::json::value& json, wire::socketio::Attachments& attachments);
Payload from_cluster_value(boost::json::value&& json, wire::socketio::Attachments&& attachments);

cluster::Selector to_selector(const BroadcastOptions& o);
cluster::BroadcastOptions to_cluster_options(const BroadcastOptions& o);
BroadcastOptions from_selector(const cluster::Selector& s);
BroadcastOptions from_cluster_options(const cluster::BroadcastOptions& o);

cluster::RemoteSocketData to_remote(const SocketInfo& s);
SocketInfo from_remote(cluster::RemoteSocketData&& r);

// socket.handshake as Node serialises it (headers, time, address, xdomain,
// secure, issued, url, query, auth), and back.
boost::json::object handshake_json(const Handshake& h);
Handshake handshake_from_json(const boost::json::object& o);

}  // namespace sio::adapter::redis
