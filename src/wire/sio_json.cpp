#include "wire/sio_json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include "wire/utf8.hpp"

namespace sio::wire::socketio {
namespace json = boost::json;

namespace {

template <class Int>
void append_int(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// True when `o` is marked `_placeholder: true` (its num may still be invalid).
bool marked(const json::object& o) noexcept {
  auto it = o.find("_placeholder");
  return it != o.end() && it->value().is_bool() && it->value().get_bool();
}

std::optional<std::uint64_t> object_placeholder_num(const json::object& o) noexcept {
  if (!marked(o)) return std::nullopt;
  auto it = o.find("num");
  if (it == o.end()) return std::nullopt;
  const json::value& num = it->value();
  if (num.is_uint64()) return num.get_uint64();
  if (num.is_int64()) {
    if (num.get_int64() < 0) return std::nullopt;
    return static_cast<std::uint64_t>(num.get_int64());
  }
  if (num.is_double()) {  // 1.0 is the number 1 to a JavaScript peer
    const double d = num.get_double();
    if (d >= 0 && d < 9007199254740992.0 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  }
  return std::nullopt;
}

void write(std::string& out, const json::value& v, const PlaceholderRemap* remap);

void write_array(std::string& out, const json::array& a, const PlaceholderRemap* remap) {
  out.push_back('[');
  bool first = true;
  for (const auto& e : a) {
    if (!first) out.push_back(',');
    first = false;
    write(out, e, remap);
  }
  out.push_back(']');
}

void write_object(std::string& out, const json::object& o, const PlaceholderRemap* remap) {
  if (remap) {
    if (auto num = object_placeholder_num(o)) {
      if (auto to = (*remap)(*num)) {
        out += "{\"_placeholder\":true,\"num\":";
        append_int(out, *to);
        out.push_back('}');
        return;
      }
    }
  }
  out.push_back('{');
  bool first = true;
  for (const auto& kv : o) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, kv.key());
    out.push_back(':');
    write(out, kv.value(), remap);
  }
  out.push_back('}');
}

void write(std::string& out, const json::value& v, const PlaceholderRemap* remap) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::int64: append_int(out, v.get_int64()); return;
    case json::kind::uint64: append_int(out, v.get_uint64()); return;
    case json::kind::double_: append_json_number(out, v.get_double()); return;
    case json::kind::string: append_json_string(out, v.get_string()); return;
    case json::kind::array: write_array(out, v.get_array(), remap); return;
    case json::kind::object: write_object(out, v.get_object(), remap); return;
  }
}

bool valid_walk(const json::value& v, std::size_t n, std::size_t depth) noexcept;

bool valid_array(const json::array& a, std::size_t n, std::size_t depth) noexcept {
  for (const auto& e : a)
    if (!valid_walk(e, n, depth + 1)) return false;
  return true;
}

bool valid_walk(const json::value& v, std::size_t n, std::size_t depth) noexcept {
  if (depth > kMaxJsonDepth) return false;
  if (const auto* o = v.if_object(); o && marked(*o)) {
    auto num = object_placeholder_num(*o);
    return num && *num < n;
  }
  if (const auto* a = v.if_array()) {
    return valid_array(*a, n, depth);
  } else if (const auto* o = v.if_object()) {
    for (const auto& kv : *o)
      if (!valid_walk(kv.value(), n, depth + 1)) return false;
  }
  return true;
}

bool has_walk(const json::value& v, std::size_t depth) noexcept {
  if (depth > kMaxJsonDepth) return false;
  if (placeholder_num(v)) return true;
  if (const auto* a = v.if_array()) {
    for (const auto& e : *a)
      if (has_walk(e, depth + 1)) return true;
  } else if (const auto* o = v.if_object()) {
    for (const auto& kv : *o)
      if (has_walk(kv.value(), depth + 1)) return true;
  }
  return false;
}

}  // namespace

// Bytes that append_json_string must look at: controls, '"', '\\', and ED
// (the lead byte of U+D000..U+DFFF, lone surrogates included).
constexpr std::array<bool, 256> kLookAt = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = t[0xED] = true;
  return t;
}();

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes needing no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kLookAt[c]) continue;
    if (c == 0xED) {
      // A lone surrogate (WTF-8, wire/utf8.hpp) is written as JSON.stringify
      // writes one: \udxxx. Other code points from ED go out as they are.
      const std::uint16_t u = i + 3 <= s.size() ? surrogate_at(s.data() + i) : 0;
      if (!u) continue;
      out.append(s.data() + run, i - run);
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(u >> shift) & 0xf]);
      i += 2;
      run = i + 1;
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// ECMAScript Number::toString(10): the shortest digits that round-trip, laid
// out without an exponent when the decimal point falls within 21 digits.
void append_json_number(std::string& out, double d) {
  if (!std::isfinite(d)) {  // JSON.stringify writes NaN and Infinity as null
    out += "null";
    return;
  }
  if (d == 0) {  // also -0, which JavaScript prints as "0"
    out.push_back('0');
    return;
  }
  if (d < 0) {
    out.push_back('-');
    d = -d;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  // buf: D[.DDD]e(+|-)XX
  const char* e = static_cast<const char*>(std::memchr(buf, 'e', static_cast<std::size_t>(r.ptr - buf)));
  std::string digits;
  for (const char* p = buf; p < e; ++p)
    if (*p != '.') digits.push_back(*p);
  int exp10 = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), r.ptr, exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // position of the decimal point
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 < 0 ? '-' : '+');
    append_int(out, n - 1 < 0 ? 1 - n : n - 1);
  }
}

void append_json(std::string& out, const json::value& v, const PlaceholderRemap* remap) {
  write(out, v, remap);
}
void append_json(std::string& out, const json::array& v, const PlaceholderRemap* remap) {
  write_array(out, v, remap);
}
void append_json(std::string& out, const json::object& v, const PlaceholderRemap* remap) {
  write_object(out, v, remap);
}

std::optional<std::uint64_t> placeholder_num(const json::value& v) noexcept {
  const json::object* o = v.if_object();
  return o ? object_placeholder_num(*o) : std::nullopt;
}

json::value make_placeholder(std::uint64_t num) {
  return json::object{{"_placeholder", true}, {"num", num}};
}

bool placeholders_valid(const json::value& v, std::size_t attachments) noexcept {
  return valid_walk(v, attachments, 0);
}
bool placeholders_valid(const json::array& v, std::size_t attachments) noexcept {
  return valid_array(v, attachments, 0);
}

bool has_placeholders(const json::value& v) noexcept { return has_walk(v, 0); }

}  // namespace sio::wire::socketio
