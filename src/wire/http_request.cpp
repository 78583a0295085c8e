// sio::HttpRequest: the field encoding (<varint length><bytes>, name then
// value) and its builder.
#include <sio/http_request.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <stdexcept>
#include <vector>

#include "wire/first_names.hpp"
#include "wire/query.hpp"

namespace sio {

namespace {

void append_length(std::string& out, std::size_t n) {
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
}

std::size_t read_length(const char*& p) {
  std::size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto b = static_cast<unsigned char>(*p++);
    n |= static_cast<std::size_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return n;
  }
}

std::string_view read_part(const char*& p) {
  const std::size_t n = read_length(p);
  std::string_view s(p, n);
  p += n;
  return s;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  append_length(out, name.size());
  out += name;
  append_length(out, value.size());
  out += value;
}

// Appends the fields of `section` whose name was not given before (the first
// value of a repeated name wins), in order.
void append_first_of_each(std::string& out, const std::string& section) {
  const char* const begin = section.data();
  const char* const end = begin + section.size();
  // A browser's request has about 15 fields: up to 16, each is compared with
  // the earlier ones, without allocating.
  constexpr std::size_t kFew = 16;
  std::array<std::string_view, kFew> few;
  std::size_t n = 0;
  const char* p = begin;
  for (; p != end && n < kFew; ++n) {
    few[n] = read_part(p);
    read_part(p);
  }
  if (p == end) {
    p = begin;
    for (std::size_t i = 0; i < n; ++i) {
      const char* field = p;
      read_part(p);
      read_part(p);
      if (std::find(few.begin(), few.begin() + i, few[i]) == few.begin() + i) out.append(field, p);
    }
    return;
  }
  // More: sorted, O(n log n) (wire/first_names.hpp).
  std::vector<std::string_view> names;
  std::vector<const char*> starts;
  for (p = begin; p != end;) {
    starts.push_back(p);
    names.push_back(read_part(p));
    read_part(p);
  }
  std::vector<char> keep;
  wire::mark_first_names(names, keep);
  starts.push_back(end);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (keep[i]) out.append(starts[i], starts[i + 1]);
}

std::uint32_t offset(std::size_t n) {
  if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("sio::HttpRequest: request too large");
  return static_cast<std::uint32_t>(n);
}

}  // namespace

HttpRequest::Field HttpRequest::FieldIterator::operator*() const {
  const char* p = p_;
  std::string_view name = read_part(p);
  return {name, read_part(p)};
}

HttpRequest::FieldIterator& HttpRequest::FieldIterator::operator++() {
  read_part(p_);
  read_part(p_);
  return *this;
}

std::size_t HttpRequest::Fields::size() const {
  std::size_t n = 0;
  for (auto it = begin(); it != end(); ++it) ++n;
  return n;
}

std::optional<std::string_view> HttpRequest::Fields::find(std::string_view name) const {
  for (const char* p = begin_; p != end_;) {
    const std::string_view n = read_part(p);
    const std::string_view v = read_part(p);
    if (n == name) return v;
  }
  return std::nullopt;
}

std::size_t HttpRequest::Fields::count(std::string_view name) const {
  std::size_t c = 0;
  for (auto [n, v] : *this) c += n == name;
  return c;
}

HttpRequest::Builder& HttpRequest::Builder::method(std::string_view m) {
  method_ = m;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::target(std::string_view u) {
  url_ = u;
  const wire::SplitTarget t = wire::split_target(u);
  path_.clear();
  wire::percent_decode_append(path_, t.path, false);
  query_.clear();
  wire::for_each_query_param(t.query, [&](std::string_view k, std::string_view v) { append_field(query_, k, v); });
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::url(std::string_view u) {
  url_ = u;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::path(std::string_view p) {
  path_ = p;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::query_param(std::string_view name, std::string_view value) {
  append_field(query_, name, value);
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::header(std::string_view name, std::string_view value) {
  // Written lower-cased in place; repeats are dropped by build().
  append_length(headers_, name.size());
  for (const char c : name) headers_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  append_length(headers_, value.size());
  headers_ += value;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::remote_address(std::string_view a) {
  address_ = a;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::secure(bool s) {
  secure_ = s;
  return *this;
}

HttpRequest::Builder& HttpRequest::Builder::body(std::string_view b) {
  body_ = b;
  return *this;
}

HttpRequest HttpRequest::Builder::build() const {
  HttpRequest r;
  r.buf_.reserve(method_.size() + url_.size() + path_.size() + address_.size() + headers_.size() + query_.size() +
                 body_.size());
  r.buf_ += method_;
  r.url_ = offset(r.buf_.size());
  r.buf_ += url_;
  r.path_ = offset(r.buf_.size());
  r.buf_ += path_;
  r.address_ = offset(r.buf_.size());
  r.buf_ += address_;
  r.headers_ = offset(r.buf_.size());
  append_first_of_each(r.buf_, headers_);
  r.query_ = offset(r.buf_.size());
  r.buf_ += query_;
  r.body_ = offset(r.buf_.size());
  r.buf_ += body_;
  offset(r.buf_.size());
  r.secure_ = secure_;
  return r;
}

}  // namespace sio
