// parse_json: Boost.JSON's parser with a handler that re-reads the text of
// every non-integer number with std::from_chars (correctly rounded), because
// Boost 1.81's own conversion can be one unit in the last place off.
//
// Lone surrogate escapes ("\ud800", which JSON.stringify writes for half of
// a surrogate pair) are an error to Boost.JSON. A text that fails is looked
// at again: if it has one, each is replaced by its WTF-8 bytes
// (wire/utf8.hpp) and the text is parsed once more, with Boost's UTF-8 check
// off and ours run first on the original. Texts without them (nearly all)
// parse once, as before.
#include <charconv>
#include <optional>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include "wire/sio_json.hpp"
#include "wire/utf8.hpp"

namespace sio::wire::socketio {
namespace json = boost::json;

namespace {

struct Handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;
  std::string number;  // the parts of a number split across input buffers

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    double exact = 0;
    auto r = std::from_chars(number.data(), number.data() + number.size(), exact);
    // out of range: keep Boost's value (infinity or zero, as JavaScript has it)
    if (r.ec == std::errc() && r.ptr == number.data() + number.size()) d = exact;
    number.clear();
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a \uXXXX escape at `p` (6 chars available), or -1.
int escaped_unit(const char* p) noexcept {
  if (p[0] != '\\' || p[1] != 'u') return -1;
  int u = 0;
  for (int k = 2; k < 6; ++k) {
    const int d = hex_value(p[k]);
    if (d < 0) return -1;
    u = (u << 4) | d;
  }
  return u;
}

bool is_high(int u) noexcept { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(int u) noexcept { return u >= 0xDC00 && u <= 0xDFFF; }

// `text` with each lone surrogate escape replaced by the surrogate's WTF-8
// bytes; nullopt when it has none. (A backslash is only valid inside a
// string, so escapes are found without tracking where strings are.)
std::optional<std::string> lone_surrogates_as_wtf8(std::string_view text) {
  std::string out;
  bool found = false;
  std::size_t copied = 0;  // text[copied, i) is still to be copied
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    if (text[i] != '\\') {
      ++i;
      continue;
    }
    const int u = i + 6 <= n ? escaped_unit(text.data() + i) : -1;
    if (!is_high(u) && !is_low(u)) {
      i += 2;  // any other escape (or a malformed one, which the parser reports)
      continue;
    }
    if (is_high(u) && i + 12 <= n && is_low(escaped_unit(text.data() + i + 6))) {
      i += 12;  // a pair: Boost reads it
      continue;
    }
    if (!found) out.reserve(n);
    found = true;
    out.append(text.data() + copied, i - copied);
    append_surrogate(out, static_cast<std::uint16_t>(u));
    i += 6;
    copied = i;
  }
  if (!found) return std::nullopt;
  out.append(text.data() + copied, n - copied);
  return out;
}

json::value parse_with(std::string_view text, const json::parse_options& opts, json::error_code& jec) {
  json::basic_parser<Handler> p(opts);
  p.handler().st.reset();
  const std::size_t n = p.write_some(false, text.data(), text.size(), jec);
  if (!jec && n < text.size()) jec = json::error::extra_data;
  if (jec) return nullptr;
  return p.handler().st.release();
}

}  // namespace

json::value parse_json(std::string_view text, std::error_code& ec) {
  json::parse_options opts;
  opts.max_depth = kMaxJsonDepth;
  json::error_code jec;
  json::value v = parse_with(text, opts, jec);
  if (jec) {
    // Lone surrogates? Then the text with them as WTF-8, which only they
    // make invalid UTF-8 once the original has passed our check.
    auto wtf8 = lone_surrogates_as_wtf8(text);
    if (!wtf8 || !is_valid_utf8(text)) {
      ec = jec;
      return nullptr;
    }
    opts.allow_invalid_utf8 = true;
    jec = {};
    v = parse_with(*wtf8, opts, jec);
    if (jec) {
      ec = jec;
      return nullptr;
    }
  }
  ec.clear();
  return v;
}

}  // namespace sio::wire::socketio
