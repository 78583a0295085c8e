// Sign-in tokens: "<name>.<expires>.<mac>", where <expires> is a Unix time in
// seconds and <mac> the hex HMAC-SHA256 of "<name>.<expires>" under the
// server's secret (OpenSSL). The server issues them (POST /login) and its
// middleware checks them; nothing is stored. A real deployment would issue
// them from its own sign-in; the format stays the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace notify {

inline constexpr std::size_t kMaxNameLength = 32;

// 1..32 of [A-Za-z0-9_-]: safe in a room name, a token and the page.
bool valid_name(std::string_view name);

std::string issue_token(std::string_view secret, std::string_view name, std::int64_t expires_s);

// The name a token signs, or nullopt: malformed, a wrong MAC, or expired.
std::optional<std::string> verify_token(std::string_view secret, std::string_view token, std::int64_t now_s);

// Equal without telling, by its timing, where they differ (the secret check).
bool equal_secret(std::string_view a, std::string_view b);

// A random 32-byte secret, hex (when no --secret is given).
std::string random_secret();

}  // namespace notify
