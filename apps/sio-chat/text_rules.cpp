#include "text_rules.hpp"

#include <algorithm>
#include <cstdint>

namespace chat {
namespace {

bool ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Decodes the code point at s[i] (valid UTF-8 assumed; a stray byte counts as itself).
std::uint32_t decode(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  std::uint32_t cp = extra == 3 ? b & 0x07 : extra == 2 ? b & 0x0F : extra == 1 ? b & 0x1F : b;
  for (; extra > 0 && i < s.size(); --extra) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return cp;
}

// Control characters, line/paragraph separators, bidirectional overrides: they
// let one name impersonate another or scramble a list.
bool forbidden(std::uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string_view check_name(std::string_view v, std::size_t max, std::string_view empty,
                            std::string_view too_long, std::string_view invalid) {
  std::size_t n = code_points(v);
  if (n == 0) return empty;
  if (n > max) return too_long;
  for (std::size_t i = 0; i < v.size();) {
    if (forbidden(decode(v, i))) return invalid;
  }
  return {};
}

bool mime_token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$&^_.+-").find(c) != std::string_view::npos;
  });
}

}  // namespace

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t code_points(std::string_view utf8) {
  // Every byte that is not a continuation byte (10xxxxxx) starts a code point.
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string nick_key(std::string_view nick) {
  std::string key(nick);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

std::string_view check_nick(std::string_view v) {
  return check_name(v, Limits::nick, "nick-empty", "nick-too-long", "nick-invalid");
}

std::string_view check_room(std::string_view v) {
  return check_name(v, Limits::room, "room-empty", "room-too-long", "room-invalid");
}

std::string_view check_text(std::string_view text) {
  if (code_points(trim_ascii(text)) == 0) return "text-empty";
  if (code_points(text) > Limits::text) return "too-long";
  return {};
}

std::string normalise_type(std::string_view type) {
  auto slash = type.find('/');
  if (slash == std::string_view::npos || !mime_token(type.substr(0, slash)) || !mime_token(type.substr(slash + 1))) {
    return "application/octet-stream";
  }
  return nick_key(type);  // ASCII lower-case
}

std::string_view error_message(std::string_view code) {
  struct Entry {
    std::string_view code, message;
  };
  static constexpr Entry kMessages[] = {
      {"bad-request", "The request was malformed."},
      {"nick-empty", "Please choose a nickname."},
      {"nick-too-long", "Nicknames are at most 24 characters."},
      {"nick-invalid", "Nicknames cannot contain control or direction characters."},
      {"nick-taken", "That nickname is already taken in this room."},
      {"room-empty", "Please choose a room name."},
      {"room-too-long", "Room names are at most 32 characters."},
      {"room-invalid", "Room names cannot contain control or direction characters."},
      {"too-many-rooms", "There are too many rooms; please join an existing one."},
      {"not-joined", "Join a room first."},
      {"text-empty", "The message is empty."},
      {"too-long", "Messages are at most 2000 characters."},
      {"too-large", "The file is larger than the upload limit."},
      {"no-such-user", "Nobody with that nickname is in this room."},
      {"self", "You cannot send a direct message to yourself."},
      {"rate-limited", "Slow down: too many requests."},
  };
  for (const auto& e : kMessages) {
    if (e.code == code) return e.message;
  }
  return "The request failed.";
}

}  // namespace chat
