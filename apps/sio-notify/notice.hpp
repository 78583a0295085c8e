// A notification request, as POST /notify and the Redis path (a server-side
// emit "notify") give it: {to: "name" | ["name", ...] | "*", title, body}.
// Checked here once for both; anything else is refused with a reason.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

namespace notify {

struct NoticeLimits {
  std::size_t max_title = 120;      // bytes of UTF-8
  std::size_t max_body = 1000;      // bytes of UTF-8
  std::size_t max_recipients = 100;  // names in one `to` list
};

struct Notice {
  bool everyone = false;         // to: "*" (every user the server keeps)
  std::vector<std::string> to;   // valid, distinct names (empty when everyone)
  std::string title;
  std::string body;
};

// Why a request was refused: an HTTP status, a stable code, and a sentence.
struct Refusal {
  int status = 400;
  std::string code;
  std::string message;
};

std::variant<Notice, Refusal> parse_notice(const boost::json::value& v, const NoticeLimits& limits);

}  // namespace notify
