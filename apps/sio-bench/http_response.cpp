#include "http_response.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sio::bench {

namespace {

constexpr std::size_t kMaxHead = 16 * 1024;  // larger response heads are refused
constexpr std::size_t kMaxBody = 64u << 20;  // a polling payload above this is refused

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

void HttpResponseParser::reset() {
  state_ = State::head;
  head_.clear();
  body_.clear();
  line_.clear();
  ws_accept_.clear();
  remaining_ = 0;
  status_ = 0;
  keep_alive_ = true;
  error_ = "";
}

std::size_t HttpResponseParser::fail(const char* why, std::size_t used) {
  state_ = State::failed;
  error_ = why;
  return used;
}

std::size_t HttpResponseParser::feed(std::string_view in) {
  std::size_t used = 0;
  if (state_ == State::head) {
    const std::size_t before = head_.size();
    head_.append(in.data(), std::min(in.size(), kMaxHead + 4 - before));
    const std::size_t from = before >= 3 ? before - 3 : 0;
    const std::size_t end = head_.find("\r\n\r\n", from);
    if (end == std::string::npos) {
      if (head_.size() > kMaxHead) return fail("response head too large", in.size());
      return in.size();
    }
    used = end + 4 - before;
    head_.resize(end + 2);
    if (!parse_head()) return used;
    in.remove_prefix(used);
  }
  switch (state_) {
    case State::body_length: {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
      body_.append(in.data(), n);
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::done;
      return used + n;
    }
    case State::until_close:
      if (body_.size() + in.size() > kMaxBody) return fail("response body too large", used + in.size());
      body_.append(in.data(), in.size());
      return used + in.size();
    case State::chunk_size:
    case State::chunk_data:
    case State::chunk_crlf:
    case State::trailer:
      return used + feed_chunked(in);
    default:
      return used;
  }
}

bool HttpResponseParser::parse_head() {
  std::string_view head(head_);
  const std::size_t eol = head.find("\r\n");
  const std::string_view status_line = head.substr(0, eol);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
    fail("not an HTTP response", 0);
    return false;
  }
  const bool http10 = status_line.substr(5, 3) == "1.0";
  keep_alive_ = !http10;
  const auto sp = status_line.find(' ');
  if (sp == std::string_view::npos ||
      std::from_chars(status_line.data() + sp + 1, status_line.data() + status_line.size(), status_).ec != std::errc{}) {
    fail("bad status line", 0);
    return false;
  }
  bool has_length = false, chunked = false;
  std::uint64_t length = 0;
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    const std::size_t e = head.find("\r\n", pos);
    const std::string_view line = head.substr(pos, e - pos);
    pos = e + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      if (std::from_chars(value.data(), value.data() + value.size(), length).ec != std::errc{}) {
        fail("bad Content-Length", 0);
        return false;
      }
      has_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      chunked = icontains(value, "chunked");
    } else if (iequals(name, "connection")) {
      if (icontains(value, "close")) keep_alive_ = false;
      if (icontains(value, "keep-alive")) keep_alive_ = true;
    } else if (iequals(name, "sec-websocket-accept")) {
      ws_accept_ = std::string(value);
    }
  }
  if (status_ == 101 || status_ == 204 || status_ == 304) {
    state_ = State::done;
  } else if (chunked) {
    state_ = State::chunk_size;
  } else if (has_length) {
    if (length > kMaxBody) {
      fail("response body too large", 0);
      return false;
    }
    remaining_ = length;
    body_.reserve(static_cast<std::size_t>(length));
    state_ = length ? State::body_length : State::done;
  } else {
    keep_alive_ = false;  // the body runs until the server closes
    state_ = State::until_close;
  }
  return true;
}

std::size_t HttpResponseParser::feed_chunked(std::string_view in) {
  std::size_t used = 0;
  while (used < in.size() && state_ != State::done && state_ != State::failed) {
    if (state_ == State::chunk_data) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size() - used));
      body_.append(in.data() + used, n);
      used += n;
      remaining_ -= n;
      if (remaining_ == 0) state_ = State::chunk_crlf;
      continue;
    }
    // Line-based states: collect up to '\n'.
    const char c = in[used++];
    if (c != '\n') {
      line_.push_back(c);
      if (line_.size() > 1024) return fail("chunk line too long", used);
      continue;
    }
    const std::string_view line = trim(line_);
    if (state_ == State::chunk_size) {
      std::uint64_t size = 0;
      const auto semi = line.find(';');
      const std::string_view hex = line.substr(0, semi);
      if (hex.empty() || std::from_chars(hex.data(), hex.data() + hex.size(), size, 16).ec != std::errc{})
        return fail("bad chunk size", used);
      if (body_.size() + size > kMaxBody) return fail("response body too large", used);
      remaining_ = size;
      state_ = size ? State::chunk_data : State::trailer;
    } else if (state_ == State::chunk_crlf) {
      if (!line.empty()) return fail("chunk not followed by CRLF", used);
      state_ = State::chunk_size;
    } else if (state_ == State::trailer && line.empty()) {
      state_ = State::done;
    }
    line_.clear();
  }
  return used;
}

void HttpResponseParser::on_eof() {
  if (state_ == State::until_close) state_ = State::done;
  else if (state_ != State::done) fail("connection closed before the response ended", 0);
}

}  // namespace sio::bench
