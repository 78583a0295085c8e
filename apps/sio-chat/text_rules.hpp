// The chat's validation rules (PROTOCOL.md, "Conventions"): lengths in code
// points, ASCII trimming, forbidden characters, nickname equality. Pure functions
// over UTF-8 (the strings come from JSON, so they are valid UTF-8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

struct Limits {
  static constexpr std::size_t nick = 24;          // code points; fits the member list
  static constexpr std::size_t room = 32;          // code points; fits the room list
  static constexpr std::size_t text = 2000;        // code points; a long paragraph
  static constexpr std::size_t file_name = 200;    // code points
  static constexpr std::size_t cid = 64;           // characters of a client message id
  static constexpr std::size_t client_id = 128;    // characters of a tab id kept
  static constexpr std::size_t rooms = 100;        // rooms kept in memory
  static constexpr std::size_t history_attachment_bytes = 8u << 20;  // per room's history
  static constexpr std::size_t remembered_cids = 10000;  // (clientId, cid) pairs for de-duplication
};

// ASCII white space (space, \t, \n, \v, \f, \r) removed at both ends.
std::string_view trim_ascii(std::string_view s);

// Unicode code points in UTF-8 text.
std::size_t code_points(std::string_view utf8);

// Equal after ASCII lower-casing.
std::string nick_key(std::string_view nick);

// Each returns "" when acceptable, else the error code.
std::string_view check_nick(std::string_view trimmed);
std::string_view check_room(std::string_view trimmed);
std::string_view check_text(std::string_view text);

// "x/y" made of MIME token characters (lower-cased), else application/octet-stream.
std::string normalise_type(std::string_view type);

// The sentence shown to people for an error code.
std::string_view error_message(std::string_view code);

}  // namespace chat
