// Event and ack arguments (sio::Args: JSON with blobs anywhere inside) to and
// from Socket.IO packets. Encoding writes the Engine.IO prefix, the header and
// the JSON into one allocation, and gathers the blobs the placeholders refer
// to, renumbered in order of appearance (arguments that came from different
// packets can be sent together).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <sio/payload.hpp>

#include "wire/sio_packet.hpp"

namespace sio::wire::socketio {

// EVENT [event, ...args], BINARY_EVENT when a placeholder refers to a blob.
Encoded encode_event(std::string_view nsp, std::string_view event, const Args& args,
                     std::optional<std::uint64_t> id);
// ACK [...args], BINARY_ACK when a placeholder refers to a blob.
Encoded encode_ack(std::string_view nsp, std::uint64_t id, const Args& args);

// The elements [first, end) of a decoded payload as arguments; each one that
// contains placeholders shares the packet's attachments.
Args to_args(boost::json::array&& data, Attachments&& attachments, std::size_t first);

}  // namespace sio::wire::socketio
