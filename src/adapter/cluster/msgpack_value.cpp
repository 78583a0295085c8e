#include "adapter/cluster/msgpack_value.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <msgpuck.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <sio/error.hpp>

#include "adapter/cluster/msgpack_type.hpp"
#include "wire/sio_json.hpp"

namespace sio::adapter::cluster {
namespace json = boost::json;
namespace sock = wire::socketio;

namespace {

// Largest encoded header msgpuck writes (map 32 / float 64 / uint 64).
constexpr std::size_t kMaxHeader = 9;

template <class F>
void put(std::string& out, F&& encode) {
  char buf[kMaxHeader];
  char* end = encode(buf);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

// JavaScript's "array index" keys come first in Object.keys order.
std::optional<std::uint32_t> array_index(std::string_view k) noexcept {
  if (k.empty() || k.size() > 10) return std::nullopt;
  if (k.size() > 1 && k[0] == '0') return std::nullopt;
  std::uint64_t n = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n >= 0xFFFFFFFFull) return std::nullopt;  // 2^32 - 1 is not an index
  return static_cast<std::uint32_t>(n);
}

void write(std::string& out, const json::value& v, const Attachments& att);

void write_number(std::string& out, double d) {
  // notepack: integral finite numbers take the smallest integer form.
  if (std::isfinite(d) && std::floor(d) == d) {
    if (d >= 0 && d < 18446744073709551616.0) {
      put(out, [&](char* b) { return mp_encode_uint(b, static_cast<std::uint64_t>(d)); });
      return;
    }
    if (d < 0 && d >= -9223372036854775808.0) {
      put(out, [&](char* b) { return mp_encode_int(b, static_cast<std::int64_t>(d)); });
      return;
    }
  }
  put(out, [&](char* b) { return mp_encode_double(b, d); });
}

void write_object(std::string& out, const json::object& o, const Attachments& att) {
  std::vector<const json::key_value_pair*> indexed, named;
  for (const auto& kv : o) {
    if (array_index(kv.key()))
      indexed.push_back(&kv);
    else
      named.push_back(&kv);
  }
  std::stable_sort(indexed.begin(), indexed.end(), [](auto* a, auto* b) {
    return *array_index(a->key()) < *array_index(b->key());
  });
  append_msgpack_map_header(out, static_cast<std::uint32_t>(o.size()));
  for (auto* list : {&indexed, &named}) {
    for (const auto* kv : *list) {
      append_msgpack_str(out, kv->key());
      write(out, kv->value(), att);
    }
  }
}

void write(std::string& out, const json::value& v, const Attachments& att) {
  switch (v.kind()) {
    case json::kind::null: append_msgpack_nil(out); return;
    case json::kind::bool_: append_msgpack_bool(out, v.get_bool()); return;
    case json::kind::int64: append_msgpack_int(out, v.get_int64()); return;
    case json::kind::uint64:
      put(out, [&](char* b) { return mp_encode_uint(b, v.get_uint64()); });
      return;
    case json::kind::double_: write_number(out, v.get_double()); return;
    case json::kind::string: append_msgpack_str(out, v.get_string()); return;
    case json::kind::array: append_msgpack(out, v.get_array(), att); return;
    case json::kind::object:
      if (auto num = sock::placeholder_num(v); num && *num < att.size()) {
        const std::string& bytes = att[*num];
        put(out, [&](char* b) { return mp_encode_binl(b, static_cast<std::uint32_t>(bytes.size())); });
        out += bytes;
        return;
      }
      write_object(out, v.get_object(), att);
      return;
  }
}

// ---- decoding ----

struct Reader {
  const char* end;
  Attachments& att;
  std::error_code& ec;

  bool fail() {
    ec = make_error_code(errc::cluster_bad_message);
    return false;
  }

  json::value binary(std::string_view bytes) {
    att.emplace_back(bytes);
    return sock::make_placeholder(att.size() - 1);
  }

  static std::uint32_t be32(const char* p) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
  }

  // An ext value (the input passed check_value, so lengths hold).
  std::optional<json::value> ext(const char** p) {
    const auto tag = static_cast<unsigned char>(**p);
    ++*p;
    std::uint32_t len = 0;
    switch (tag) {
      case 0xd4: len = 1; break;
      case 0xd5: len = 2; break;
      case 0xd6: len = 4; break;
      case 0xd7: len = 8; break;
      case 0xd8: len = 16; break;
      case 0xc7: len = static_cast<unsigned char>(**p); *p += 1; break;
      case 0xc8: len = mp_load_u16(p); break;
      case 0xc9: len = mp_load_u32(p); break;
      default: fail(); return std::nullopt;
    }
    const auto type = static_cast<std::int8_t>(**p);
    ++*p;
    const char* data = *p;
    *p += len;
    if (tag == 0xd4 && type == 0) return std::nullopt;                       // notepack's undefined
    if (type == 0 && tag != 0xd7) return binary(std::string_view(data, len));  // notepack's ArrayBuffer
    if (tag == 0xd7 && type == 0) {                                          // notepack's legacy Date (ms)
      const double hi = static_cast<std::int32_t>(be32(data)) * 4294967296.0;
      return js_date_json(hi + be32(data + 4));
    }
    if (type == -1 && (len == 4 || len == 8 || len == 12)) {  // MessagePack timestamp
      double s = 0, ns = 0;
      if (len == 4) {
        s = be32(data);
      } else if (len == 8) {
        const std::uint32_t hi = be32(data);
        s = (hi & 0x3) * 4294967296.0 + be32(data + 4);
        ns = hi >> 2;
      } else {
        ns = be32(data);
        s = static_cast<std::int32_t>(be32(data + 4)) * 4294967296.0 + be32(data + 8);
      }
      return js_date_json(s * 1e3 + ns / 1e6);
    }
    json::array a;  // notepack: [type, Buffer]
    a.emplace_back(static_cast<std::int64_t>(type));
    a.push_back(binary(std::string_view(data, len)));
    return json::value(std::move(a));
  }

  std::optional<json::value> value(const char** p, std::size_t depth) {
    if (depth > sock::kMaxJsonDepth) {
      fail();
      return std::nullopt;
    }
    switch (msgpack_type(**p)) {
      case MP_NIL: mp_decode_nil(p); return json::value(nullptr);
      case MP_BOOL: return json::value(mp_decode_bool(p));
      case MP_UINT: {
        const std::uint64_t u = mp_decode_uint(p);
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) return json::value(static_cast<std::int64_t>(u));
        return json::value(u);
      }
      case MP_INT: return json::value(mp_decode_int(p));
      case MP_FLOAT: return json::value(static_cast<double>(mp_decode_float(p)));
      case MP_DOUBLE: return json::value(mp_decode_double(p));
      case MP_STR: {
        std::uint32_t len = 0;
        const char* s = mp_decode_str(p, &len);
        return json::value(json::string_view(s, len));
      }
      case MP_BIN: {
        std::uint32_t len = 0;
        const char* s = mp_decode_bin(p, &len);
        return binary(std::string_view(s, len));
      }
      case MP_ARRAY: {
        const std::uint32_t n = mp_decode_array(p);
        json::array a;
        a.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
          auto e = value(p, depth + 1);
          if (ec) return std::nullopt;
          a.push_back(e ? std::move(*e) : json::value(nullptr));  // [undefined] reads as [null]
        }
        return json::value(std::move(a));
      }
      case MP_MAP: {
        const std::uint32_t n = mp_decode_map(p);
        json::object o;
        o.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
          std::string key;
          switch (msgpack_type(**p)) {  // a JavaScript key is always a string
            case MP_STR: {
              std::uint32_t len = 0;
              const char* s = mp_decode_str(p, &len);
              key.assign(s, len);
              break;
            }
            case MP_UINT: key = std::to_string(mp_decode_uint(p)); break;
            case MP_INT: key = std::to_string(mp_decode_int(p)); break;
            default: fail(); return std::nullopt;
          }
          auto e = value(p, depth + 1);
          if (ec) return std::nullopt;
          if (e) o[key] = std::move(*e);  // an undefined member is no member
        }
        return json::value(std::move(o));
      }
      case MP_EXT: return ext(p);
    }
    fail();
    return std::nullopt;
  }
};

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
// civil_from_days algorithm, written from its description).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}


std::uint64_t load_be(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// The end of the one MessagePack value at [p, end), or nullptr when it is
// malformed or truncated. Our own check rather than msgpuck's mp_check,
// whose int counter overflows on a huge array or map count and then passes
// input that the decoder would read past its end. Every value takes at least
// one byte, so more pending values than bytes left is malformed at once.
const char* check_value(const char* p, const char* end) {
  std::uint64_t pending = 1;
  while (pending > 0) {
    if (p >= end || pending > static_cast<std::uint64_t>(end - p)) return nullptr;
    --pending;
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    const std::size_t left = static_cast<std::size_t>(end - p);
    const unsigned b = u[0];
    std::uint64_t size = 1;       // header + fixed payload
    std::uint64_t children = 0;
    auto sized = [&](int len_bytes, std::uint64_t extra) -> bool {  // header with a length field
      if (left < 1u + static_cast<unsigned>(len_bytes)) return false;
      size = 1 + static_cast<std::uint64_t>(len_bytes) + extra + load_be(u + 1, len_bytes);
      return true;
    };
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
      size = 1;
    } else if (b >= 0x80 && b <= 0x8f) {
      children = 2ull * (b & 0x0f);
    } else if (b >= 0x90 && b <= 0x9f) {
      children = b & 0x0f;
    } else if (b >= 0xa0 && b <= 0xbf) {
      size = 1 + (b & 0x1f);
    } else {
      bool ok = true;
      switch (b) {
        case 0xc4: ok = sized(1, 0); break;
        case 0xc5: ok = sized(2, 0); break;
        case 0xc6: ok = sized(4, 0); break;
        case 0xc7: ok = sized(1, 1); break;  // + type byte
        case 0xc8: ok = sized(2, 1); break;
        case 0xc9: ok = sized(4, 1); break;
        case 0xca: size = 5; break;
        case 0xcb: size = 9; break;
        case 0xcc: case 0xd0: size = 2; break;
        case 0xcd: case 0xd1: size = 3; break;
        case 0xce: case 0xd2: size = 5; break;
        case 0xcf: case 0xd3: size = 9; break;
        case 0xd4: size = 3; break;
        case 0xd5: size = 4; break;
        case 0xd6: size = 6; break;
        case 0xd7: size = 10; break;
        case 0xd8: size = 18; break;
        case 0xd9: ok = sized(1, 0); break;
        case 0xda: ok = sized(2, 0); break;
        case 0xdb: ok = sized(4, 0); break;
        case 0xdc: case 0xde:
          if (left < 3) return nullptr;
          size = 3;
          children = load_be(u + 1, 2) * (b == 0xde ? 2 : 1);
          break;
        case 0xdd: case 0xdf:
          if (left < 5) return nullptr;
          size = 5;
          children = load_be(u + 1, 4) * (b == 0xdf ? 2 : 1);
          break;
        default: return nullptr;  // 0xc1: never used
      }
      if (!ok) return nullptr;
    }
    if (size > left) return nullptr;
    p += size;
    pending += children;
  }
  return p;
}

}  // namespace

void append_msgpack_str(std::string& out, std::string_view s) {
  put(out, [&](char* b) { return mp_encode_strl(b, static_cast<std::uint32_t>(s.size())); });
  out.append(s);
}
void append_msgpack_int(std::string& out, std::int64_t v) {
  if (v >= 0)
    put(out, [&](char* b) { return mp_encode_uint(b, static_cast<std::uint64_t>(v)); });
  else
    put(out, [&](char* b) { return mp_encode_int(b, v); });
}
void append_msgpack_bool(std::string& out, bool v) {
  put(out, [&](char* b) { return mp_encode_bool(b, v); });
}
void append_msgpack_nil(std::string& out) {
  put(out, [&](char* b) { return mp_encode_nil(b); });
}
void append_msgpack_array_header(std::string& out, std::uint32_t n) {
  put(out, [&](char* b) { return mp_encode_array(b, n); });
}
void append_msgpack_map_header(std::string& out, std::uint32_t n) {
  put(out, [&](char* b) { return mp_encode_map(b, n); });
}

void append_msgpack(std::string& out, const json::value& v, const Attachments& attachments) {
  write(out, v, attachments);
}
void append_msgpack(std::string& out, const json::array& v, const Attachments& attachments) {
  append_msgpack_array_header(out, static_cast<std::uint32_t>(v.size()));
  for (const auto& e : v) write(out, e, attachments);
}
void append_msgpack(std::string& out, const json::object& v, const Attachments& attachments) {
  write_object(out, v, attachments);
}

bool msgpack_valid(const char* p, const char* end) noexcept { return check_value(p, end) == end; }

std::optional<json::value> decode_msgpack(const char** p, const char* end, Attachments& attachments,
                                          std::error_code& ec) {
  ec.clear();
  if (!check_value(*p, end)) {
    ec = make_error_code(errc::cluster_bad_message);
    return std::nullopt;
  }
  Reader r{end, attachments, ec};
  auto v = r.value(p, 0);
  if (ec) return std::nullopt;
  return v;
}

json::value js_date_json(double ms) {
  // Date's time value range: ±8.64e15 ms; the constructor truncates toward 0.
  if (!std::isfinite(ms) || std::fabs(ms) > 8.64e15) return json::value(nullptr);
  const auto t = static_cast<std::int64_t>(std::trunc(ms));
  std::int64_t days = t / 86400000;
  std::int64_t rem = t % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  std::int64_t y = 0;
  unsigned mo = 0, d = 0;
  civil_from_days(days, y, mo, d);
  const auto msec = static_cast<unsigned>(rem % 1000);
  const auto sec = static_cast<unsigned>(rem / 1000 % 60);
  const auto min = static_cast<unsigned>(rem / 60000 % 60);
  const auto hour = static_cast<unsigned>(rem / 3600000);
  char buf[40];
  // Date#toISOString: years outside 0..9999 take a sign and six digits.
  if (y >= 0 && y <= 9999)
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(y), mo, d, hour,
                  min, sec, msec);
  else
    std::snprintf(buf, sizeof buf, "%c%06lld-%02u-%02uT%02u:%02u:%02u.%03uZ", y < 0 ? '-' : '+',
                  static_cast<long long>(y < 0 ? -y : y), mo, d, hour, min, sec, msec);
  return json::value(json::string_view(buf));
}

}  // namespace sio::adapter::cluster
