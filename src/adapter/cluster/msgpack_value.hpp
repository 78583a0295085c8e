// JavaScript values as MessagePack, the way notepack.io (the codec of
// @socket.io/redis-adapter and @socket.io/redis-emitter) writes and reads them.
//
// Our value model is the Socket.IO one: JSON (boost::json) with binary
// attachments held beside it, each referenced by a placeholder object
// {"_placeholder":true,"num":N}. On the MessagePack side binary is inline
// (bin 8/16/32), so encoding puts attachment N where its placeholder is, and
// decoding does the reverse, numbering attachments in the depth-first order
// socket.io-parser uses.
//
// | JavaScript (notepack.io encode)   | MessagePack             | decoded here as           |
// |-----------------------------------|-------------------------|---------------------------|
// | null, undefined (in arrays)       | nil                     | null                      |
// | undefined / function (object key) | key omitted             | -                         |
// | boolean                           | true / false            | bool                      |
// | integral finite number            | smallest (u)int form    | int64 (uint64 above)      |
// | other number (incl. NaN, ±Inf)    | float 64                | double                    |
// | string                            | fixstr / str 8/16/32    | string                    |
// | Buffer, typed array, ArrayBuffer  | bin 8/16/32             | placeholder + attachment  |
// | Array (and Set spread to array)   | fixarray / array 16/32  | array                     |
// | Date                              | ext -1 (timestamp)      | ISO string (Date#toJSON)  |
// | other object (toJSON honoured)    | fixmap / map 16/32      | object                    |
// | (read only) fixext 1 type 0       | notepack's "undefined"  | null / key omitted        |
// | (read only) ext type 0            | notepack's ArrayBuffer  | placeholder + attachment  |
// | (read only) other ext / float 32  |                         | [type, bin] / double      |
//
// Object keys are written in JavaScript's Object.keys order: array-index keys
// ("0".."4294967294") ascending first, then the others in insertion order.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/value.hpp>

#include "wire/sio_packet.hpp"

namespace sio::adapter::cluster {

using Attachments = wire::socketio::Attachments;

// Appends the MessagePack form of `v`. A placeholder whose num indexes
// `attachments` is written as that attachment's bytes (bin); any other
// object, including a placeholder with a bad num, is written as a map.
void append_msgpack(std::string& out, const boost::json::value& v, const Attachments& attachments);
void append_msgpack(std::string& out, const boost::json::array& v, const Attachments& attachments);
void append_msgpack(std::string& out, const boost::json::object& v, const Attachments& attachments);

// Low-level writers used by the message encoder, which lays out its maps
// field by field.
void append_msgpack_str(std::string& out, std::string_view s);
void append_msgpack_int(std::string& out, std::int64_t v);
void append_msgpack_bool(std::string& out, bool v);
void append_msgpack_nil(std::string& out);
void append_msgpack_array_header(std::string& out, std::uint32_t n);
void append_msgpack_map_header(std::string& out, std::uint32_t n);

// Decodes the one MessagePack value at [*p, end) and advances *p past it.
// Binary goes to `attachments` (appended) and a placeholder stands in its
// place. Returns nullopt for notepack's "undefined". On malformed input sets
// `ec` (sio::errc::cluster_bad_message) and returns nullopt.
std::optional<boost::json::value> decode_msgpack(const char** p, const char* end, Attachments& attachments,
                                                 std::error_code& ec);

// Checks that [p, end) holds exactly one well-formed MessagePack value.
bool msgpack_valid(const char* p, const char* end) noexcept;

// Date#toJSON for a time value in milliseconds since the epoch; null (as
// JSON.stringify gives) outside the Date range.
boost::json::value js_date_json(double ms);

}  // namespace sio::adapter::cluster
