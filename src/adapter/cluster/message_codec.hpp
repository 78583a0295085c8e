// Encoding and decoding of the cluster messages (messages.hpp), byte for byte
// as @socket.io/redis-adapter 8.x writes them: msgpack through notepack.io's
// rules (msgpack_value.hpp) and JSON through JSON.stringify's (same key
// order, same number and string forms).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "adapter/cluster/messages.hpp"

namespace sio::adapter::cluster {

// ---- broadcast channel ----
std::string encode_broadcast(const BroadcastMessage& m);
std::optional<BroadcastMessage> decode_broadcast(std::string_view payload, std::error_code& ec);

// ---- request channel ----
// JSON for every request but BroadcastWithAckRequest (msgpack), as Node does.
std::string encode_request(const Request& r);
// Reads either encoding (JSON when the payload starts with '{'). An unknown
// type is an error (cluster_bad_message) that the caller ignores, as Node does.
std::optional<Request> decode_request(std::string_view payload, std::error_code& ec);

// ---- response channel ----
std::string encode_response(const Response& r);

// Responses to types 0..5 carry no type: the requester knows what it asked.
// `pending` maps a request id to the type of our request still waiting for
// answers, nullopt when it is not ours (decode_response then returns nullopt
// with no error).
using PendingLookup = std::function<std::optional<RequestType>(std::string_view request_id)>;
std::optional<Response> decode_response(std::string_view payload, const PendingLookup& pending, std::error_code& ec);

// JSON.stringify of a value that may hold placeholders: each becomes what a
// Buffer's toJSON gives, {"type":"Buffer","data":[bytes...]}, as Node writes
// binary inside its JSON requests.
void append_json_with_buffers(std::string& out, const boost::json::value& v,
                              const wire::socketio::Attachments& attachments);

}  // namespace sio::adapter::cluster
