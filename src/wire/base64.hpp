// Standard base64 (RFC 4648 with padding), as Engine.IO uses for binary
// packets over polling ("b" + base64).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sio::wire {

inline constexpr std::size_t base64_encoded_size(std::size_t n) { return (n + 2) / 3 * 4; }
void base64_append(std::string& out, std::string_view bytes);
// Appends the decoded bytes; false (out unchanged) when `in` is not valid base64.
bool base64_decode_append(std::string& out, std::string_view in);

}  // namespace sio::wire
