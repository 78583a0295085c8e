#include "notice.hpp"

#include <algorithm>


#include "token.hpp"

namespace notify {
namespace {

namespace json = boost::json;

Refusal bad(std::string code, std::string message) { return Refusal{400, std::move(code), std::move(message)}; }

}  // namespace

std::variant<Notice, Refusal> parse_notice(const json::value& v, const NoticeLimits& limits) {
  const json::object* o = v.if_object();
  if (!o) return bad("bad-body", "the body must be a JSON object {to, title, body}");
  Notice n;

  const json::value* to = o->if_contains("to");
  if (!to) return bad("bad-to", "`to` is missing: a name, a list of names, or \"*\"");
  if (const json::string* s = to->if_string()) {
    if (*s == "*") {
      n.everyone = true;
    } else if (valid_name(*s)) {
      n.to.emplace_back(*s);
    } else {
      return bad("bad-to", "`to` is not a valid name (1-32 of A-Z a-z 0-9 _ -)");
    }
  } else if (const json::array* a = to->if_array()) {
    if (a->empty()) return bad("bad-to", "`to` is an empty list");
    if (a->size() > limits.max_recipients)
      return bad("too-many-recipients", "`to` names more than " + std::to_string(limits.max_recipients) + " users");
    for (const auto& e : *a) {
      const json::string* s = e.if_string();
      if (!s || !valid_name(*s)) return bad("bad-to", "`to` holds something that is not a valid name");
      if (std::find(n.to.begin(), n.to.end(), std::string_view(*s)) == n.to.end()) n.to.emplace_back(*s);
    }
  } else {
    return bad("bad-to", "`to` must be a name, a list of names, or \"*\"");
  }

  const json::value* title = o->if_contains("title");
  if (!title || !title->is_string() || title->get_string().empty())
    return bad("bad-title", "`title` must be a non-empty string");
  if (title->get_string().size() > limits.max_title)
    return bad("bad-title", "`title` is longer than " + std::to_string(limits.max_title) + " bytes");
  n.title = title->get_string();

  if (const json::value* body = o->if_contains("body"); body && !body->is_null()) {
    if (!body->is_string()) return bad("bad-body", "`body` must be a string");
    if (body->get_string().size() > limits.max_body)
      return bad("bad-body", "`body` is longer than " + std::to_string(limits.max_body) + " bytes");
    n.body = body->get_string();
  }
  return n;
}

}  // namespace notify
