// Pipelined HTTP/1.1 requests with bodies (Content-Length or chunked) through
// the servers' own reading path: Beast's request parser fed a read at a time,
// net::parse_header_step (header limits and RFC 9112 framing, after every
// read), the body as http::async_read reads it, the trailer count, and
// net::make_request (the sio::HttpRequest builder).
//
// Input: byte 0 is the size of each read (0: everything at once), the rest
// the bytes a client sent. For every request the server would serve, the
// fuzzer checks, against its own plain reading of the same bytes:
//   - where the message ends (so where the next request begins) is what the
//     header says, read simply: Content-Length, or chunks to the last one and
//     the trailers. A request whose framing two readers could disagree on
//     (Transfer-Encoding not exactly "chunked", or with Content-Length, or on
//     HTTP/1.0) is never served;
//   - the limits held (fields, header bytes, body bytes);
//   - the HttpRequest has Beast's method and target, and the first value of
//     every field name, lower-cased, in order.
// Every refusal must be one the server answers (431, 400, 413 or 501); the
// connection then closes, so nothing after it is looked at.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "net/http_framing.hpp"
#include "net/http_util.hpp"
#include "fuzz_require.hpp"

namespace {

namespace http = boost::beast::http;
using sio::net::HeaderLimits;

constexpr HeaderLimits kLimits{2048, 16};  // small, so that inputs reach them
constexpr std::size_t kBodyLimit = 4096;

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls fn with each non-empty element of a comma-separated list, trimmed.
template <class Fn>
void for_each_element(std::string_view list, Fn fn) {
  for (std::size_t pos = 0;;) {
    const std::size_t comma = list.find(',', pos);
    const std::string_view item = trim(list.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) return;
    pos = comma + 1;
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal number (1*DIGIT, any number of leading zeros) that fits in 64
// bits, or nullopt.
std::optional<std::uint64_t> decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

// The client's bytes, handed out a read at a time.
struct Wire {
  std::string_view rest;
  std::size_t read_size;
  bool read(boost::beast::flat_buffer& buffer) {
    if (rest.empty()) return false;
    const std::size_t n = std::min(rest.size(), read_size);
    auto space = buffer.prepare(n);
    std::copy_n(rest.data(), n, static_cast<char*>(space.data()));
    buffer.commit(n);
    rest.remove_prefix(n);
    return true;
  }
};

// Fields in the order Beast's container lists them: a repeated name right
// after the last one of that name (the first of each name keeps its place).
std::vector<std::pair<std::string, std::string>> grouped(const std::vector<std::pair<std::string, std::string>>& in) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : in) {
    auto last = std::find_if(out.rbegin(), out.rend(), [&](const auto& x) { return x.first == f.first; });
    if (last == out.rend()) out.push_back(f);
    else out.insert(last.base(), f);
  }
  return out;
}

// A plain reading of one message at the front of `in`: its fields (names
// lower-cased, obs-fold joined as Beast joins it), and where it ends.
struct Plain {
  std::vector<std::pair<std::string, std::string>> fields;
  int version = 0;  // 10, 11, ...
  std::size_t header_size = 0;
};

std::optional<Plain> read_header_plainly(std::string_view in) {
  const std::size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  Plain p;
  p.header_size = end + 4;
  std::string_view head = in.substr(0, end + 2);
  const std::size_t eol = head.find("\r\n");
  const std::string_view start = head.substr(0, eol);
  head.remove_prefix(eol + 2);
  const std::size_t v = start.rfind(" HTTP/");
  if (v == std::string_view::npos || start.size() != v + 9) return std::nullopt;
  p.version = (start[v + 6] - '0') * 10 + (start[v + 8] - '0');
  while (!head.empty()) {
    const std::size_t e = head.find("\r\n");
    const std::string_view line = head.substr(0, e);
    head.remove_prefix(e + 2);
    if (line.front() == ' ' || line.front() == '\t') {  // obs-fold: Beast joins with one space
      if (p.fields.empty()) return std::nullopt;
      const std::string_view more = trim(line);
      if (!more.empty()) {
        if (!p.fields.back().second.empty()) p.fields.back().second += ' ';
        p.fields.back().second += more;
      }
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    p.fields.emplace_back(lower(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  }
  return p;
}

// The length of a chunked body at the front of `in`, read simply (sizes in
// hex, extensions skipped to the line's end, the trailers to an empty line).
std::optional<std::size_t> chunked_length(std::string_view in) {
  std::size_t pos = 0;
  for (;;) {
    const std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (std::size_t i = pos; i < eol && hex_digit(in[i]) >= 0; ++i, ++digits) {
      if (size >> 60) return std::nullopt;
      size = size * 16 + static_cast<std::uint64_t>(hex_digit(in[i]));
    }
    if (digits == 0) return std::nullopt;
    pos = eol + 2;
    if (size == 0) break;
    if (in.size() < pos + size + 2 || in.substr(pos + size, 2) != "\r\n") return std::nullopt;
    pos += size + 2;
  }
  for (;;) {  // trailers
    const std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    const bool empty = eol == pos;
    pos = eol + 2;
    if (empty) return pos;
  }
}

// Reads the body as http::async_read does; false when refused or unfinished.
bool read_body(sio::net::RequestParser& parser, boost::beast::flat_buffer& buffer, Wire& wire, std::size_t& used) {
  while (!parser.is_done()) {
    boost::system::error_code ec;
    const std::size_t n = parser.put(buffer.data(), ec);
    buffer.consume(n);
    used += n;
    if (ec == http::error::need_more || (!ec && n == 0)) {
      if (!wire.read(buffer)) return false;  // the client stopped mid-body
      continue;
    }
    if (ec) {
      FUZZ_REQUIRE(sio::net::refusal_status(ec) != 0);
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  Wire wire{stream, data[0] == 0 ? stream.size() + 1 : data[0]};
  boost::beast::flat_buffer buffer;
  std::size_t offset = 0;  // where the current message begins in `stream`

  for (int message = 0; message < 8; ++message) {
    sio::net::RequestParser parser;
    parser.body_limit(kBodyLimit);
    std::size_t header_bytes = 0;
    for (;;) {  // the header, as async_read_request_header reads it
      const boost::system::error_code ec = sio::net::parse_header_step(parser, buffer, header_bytes, kLimits);
      if (ec) {
        FUZZ_REQUIRE(sio::net::refusal_status(ec) != 0);  // answered, then closed
        return 0;
      }
      if (parser.is_header_done()) break;
      if (!wire.read(buffer)) return 0;  // the client stopped: no request
    }
    const auto& req = parser.get();
    std::vector<std::pair<std::string, std::string>> header_fields;
    for (const auto& f : req) header_fields.emplace_back(lower(f.name_string()), std::string(f.value()));

    std::size_t body_bytes = 0;
    if (!read_body(parser, buffer, wire, body_bytes)) return 0;
    if (sio::net::too_many_fields(req, kLimits.fields)) return 0;  // trailers past the cap: 431

    // Served. Its bytes, as a plain reading of the header delimits them.
    const std::optional<Plain> plain = read_header_plainly(stream.substr(offset));
    FUZZ_REQUIRE(plain.has_value());
    FUZZ_REQUIRE(plain->header_size == header_bytes && header_bytes <= kLimits.bytes);
    FUZZ_REQUIRE(grouped(plain->fields) == header_fields && header_fields.size() <= kLimits.fields);
    std::vector<std::string_view> te, cl;
    for (const auto& [name, value] : plain->fields) {
      if (name == "transfer-encoding") te.push_back(value);
      if (name == "content-length") cl.push_back(value);
    }
    std::size_t body_size = 0;
    if (!te.empty()) {
      // Exactly one coding in all, chunked, on HTTP/1.1 or later, without Content-Length.
      std::vector<std::string> codings;
      for (const auto value : te) for_each_element(value, [&](std::string_view c) { codings.push_back(lower(c)); });
      FUZZ_REQUIRE(codings == std::vector<std::string>{"chunked"} && cl.empty() && plain->version >= 11 && parser.chunked());
      const std::optional<std::size_t> n = chunked_length(stream.substr(offset + header_bytes));
      FUZZ_REQUIRE(n.has_value());
      body_size = *n;
    } else if (!cl.empty()) {
      FUZZ_REQUIRE(!parser.chunked() && parser.content_length());
      for (const auto value : cl) {
        std::size_t items = 0;
        for_each_element(value, [&](std::string_view item) {  // every one the same decimal number
          FUZZ_REQUIRE(decimal(item) == parser.content_length());  // (leading zeros are 1*DIGIT too)
          ++items;
        });
        FUZZ_REQUIRE(items > 0);
      }
      body_size = static_cast<std::size_t>(*parser.content_length());
      FUZZ_REQUIRE(parser.get().body().size() == body_size);
    } else {
      FUZZ_REQUIRE(!parser.chunked() && parser.get().body().empty());
    }
    FUZZ_REQUIRE(body_bytes == body_size && parser.get().body().size() <= kBodyLimit);

    // The request as the user sees it.
    const sio::HttpRequest r = sio::net::make_request(req, "127.0.0.1", false);
    FUZZ_REQUIRE(r.method() == req.method_string() && r.url() == req.target());
    std::vector<std::pair<std::string, std::string>> firsts;
    for (const auto& f : req) {
      std::string name = lower(f.name_string());
      if (std::none_of(firsts.begin(), firsts.end(), [&](const auto& x) { return x.first == name; }))
        firsts.emplace_back(std::move(name), std::string(f.value()));
    }
    std::size_t i = 0;
    for (auto [name, value] : r.headers()) {
      FUZZ_REQUIRE(i < firsts.size() && name == firsts[i].first && value == firsts[i].second);
      FUZZ_REQUIRE(r.header(name) == value);
      ++i;
    }
    FUZZ_REQUIRE(i == firsts.size());

    offset += header_bytes + body_bytes;
    if (!parser.keep_alive()) return 0;  // the server closes after it
  }
  return 0;
}
