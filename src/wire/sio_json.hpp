// JSON as the Socket.IO wire carries it, pure.
//
// The writer produces what JavaScript's JSON.stringify produces for the same
// value (numbers in Number#toString form, the same string escapes), so a
// payload that a JavaScript peer sent comes back byte-identical: the protocol
// test suite compares packets as text.
//
// Strings are UTF-8, except for lone UTF-16 surrogates, which JavaScript
// strings may hold and JSON.stringify writes as escapes ("\ud800"): parsed,
// each becomes its three WTF-8 bytes (ED A0..BF 80..BF, wire/utf8.hpp), and
// those bytes are written back as the same escape (lower-case hex, as
// JSON.stringify), so such a string makes the round trip unchanged.
//
// Binary attachments travel next to the JSON; inside it each one is a
// placeholder object {"_placeholder":true,"num":N}, N indexing the packet's
// attachments in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace sio::wire::socketio {

// Deepest nesting accepted when parsing (Boost.JSON's default is 32, too low
// for real payloads; JavaScript has no fixed limit). Also bounds the
// recursion of the walkers below.
inline constexpr std::size_t kMaxJsonDepth = 128;

// Parses one JSON text (nothing may follow it but whitespace), nesting at most
// kMaxJsonDepth. Unlike boost::json::parse in Boost 1.81, numbers with a
// fraction or exponent are rounded correctly (std::from_chars), so what a
// JavaScript peer sent is the number it meant and is written back unchanged.
boost::json::value parse_json(std::string_view text, std::error_code& ec);

void append_json_string(std::string& out, std::string_view s);
void append_json_number(std::string& out, double d);

// Renumbers placeholders while writing: given a placeholder's num, returns the
// num to write (used to merge the attachments of several arguments into one
// packet), or nullopt to write the object as it is.
using PlaceholderRemap = std::function<std::optional<std::uint64_t>(std::uint64_t num)>;

// Appends `v` as JSON. With `remap`, every placeholder object is written as
// {"_placeholder":true,"num":remap(num)} (unless remap returns nullopt).
void append_json(std::string& out, const boost::json::value& v, const PlaceholderRemap* remap = nullptr);
void append_json(std::string& out, const boost::json::array& v, const PlaceholderRemap* remap = nullptr);
void append_json(std::string& out, const boost::json::object& v, const PlaceholderRemap* remap = nullptr);

// The num of a placeholder object ({"_placeholder":true,"num":<integer >= 0>}),
// nullopt for any other value (including `_placeholder: true` with a missing
// or invalid num: see placeholders_valid).
std::optional<std::uint64_t> placeholder_num(const boost::json::value& v) noexcept;

// A placeholder object for attachment `num`.
boost::json::value make_placeholder(std::uint64_t num);

// True when every object marked `_placeholder: true` inside `v` (at any
// depth) has an integer num in [0, attachments). socket.io's parser rejects
// the packet otherwise ("illegal attachments").
bool placeholders_valid(const boost::json::value& v, std::size_t attachments) noexcept;
bool placeholders_valid(const boost::json::array& v, std::size_t attachments) noexcept;

// True when `v` contains at least one placeholder object (any depth).
bool has_placeholders(const boost::json::value& v) noexcept;

}  // namespace sio::wire::socketio
