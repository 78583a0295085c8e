#include "net/http_util.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <boost/beast/http/status.hpp>
#include <openssl/sha.h>

#include "wire/base64.hpp"

namespace sio::net {

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

bool contains_token(std::string_view header, std::string_view token) {
  // Comma-separated, case-insensitive.
  std::string h = lower(header);
  std::string t = lower(token);
  std::size_t pos = 0;
  while (pos <= h.size()) {
    std::size_t end = h.find(',', pos);
    if (end == std::string::npos) end = h.size();
    std::string_view item(h.data() + pos, end - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == t) return true;
    pos = end + 1;
  }
  return false;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: break;
  }
  // Any other code an on_http handler answers with (201, 202, 401, 415...).
  const http::status known = http::int_to_status(static_cast<unsigned>(status));
  return known == http::status::unknown ? "Unknown" : http::obsolete_reason(known).data();
}

// A header's value (the first when repeated), or nullopt.
std::optional<std::string_view> field_view(const RequestHeader& req, http::field f) {
  auto it = req.find(f);
  if (it == req.end()) return std::nullopt;
  return std::string_view(it->value());
}
std::optional<std::string> field(const RequestHeader& req, http::field f) {
  auto v = field_view(req, f);
  if (!v) return std::nullopt;
  return std::string(*v);
}

}  // namespace

HttpRequest make_request(const RequestHeader& req, std::string_view remote_address, bool secure,
                         std::string_view body) {
  HttpRequest::Builder b;
  b.method(req.method_string()).target(req.target()).remote_address(remote_address).secure(secure).body(body);
  for (const auto& f : req) b.header(f.name_string(), f.value());
  return b.build();
}

std::string render_response(int status, const Headers& headers, std::string_view body, bool keep_alive) {
  std::string out;
  out.reserve(160 + body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\n";
  for (const auto& [k, v] : headers) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  out += body;
  return out;
}

int engine_error_code(errc e) {
  switch (e) {
    case errc::eio_unknown_transport: return 0;
    case errc::eio_unknown_sid: return 1;
    case errc::eio_bad_handshake_method: return 2;
    case errc::eio_forbidden: return 4;
    case errc::eio_unsupported_version: return 5;
    default: return 3;  // bad request
  }
}

int engine_error_status(errc e) { return e == errc::eio_forbidden ? 403 : 400; }

void append_json_escaped(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_escaped(out, s);
  return out;
}

std::string engine_error_body(const EngineError& e) {
  const int code = engine_error_code(e.code);
  std::string msg = e.message.empty() ? make_error_code(code == 3 ? errc::eio_bad_request : e.code).message() : e.message;
  return "{\"code\":" + std::to_string(code) + ",\"message\":\"" + json_escape(msg) + "\"}";
}

void add_cors_headers(const CorsOptions& cors, const RequestHeader& req, Headers& out) {
  if (!cors.enabled) return;
  const std::optional<std::string> origin = field(req, http::field::origin);
  std::string allow;
  if (cors.origin_fn) {
    if (!origin || !cors.origin_fn(*origin)) return;
    allow = *origin;
  } else if (cors.origins.empty()) {
    allow = cors.credentials && origin ? *origin : "*";
  } else {
    if (!origin || std::find(cors.origins.begin(), cors.origins.end(), *origin) == cors.origins.end()) return;
    allow = *origin;
  }
  out["Access-Control-Allow-Origin"] = allow;
  if (allow != "*") out["Vary"] = "Origin";
  if (cors.credentials) out["Access-Control-Allow-Credentials"] = "true";
  if (req.method() == http::verb::options) {
    std::string methods;
    for (const auto& m : cors.methods) methods += (methods.empty() ? "" : ",") + m;
    out["Access-Control-Allow-Methods"] = methods;
    if (!cors.allowed_headers.empty()) {
      std::string h;
      for (const auto& x : cors.allowed_headers) h += (h.empty() ? "" : ",") + x;
      out["Access-Control-Allow-Headers"] = h;
    } else if (auto rh = req.find(http::field::access_control_request_headers); rh != req.end()) {
      out["Access-Control-Allow-Headers"] = std::string(rh->value());
    }
    if (cors.max_age_s) out["Access-Control-Max-Age"] = std::to_string(*cors.max_age_s);
  }
}

std::string websocket_accept_key(std::string_view key) {
  static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(key);
  input += guid;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  std::string out;
  wire::base64_append(out, std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  return out;
}

std::string websocket_handshake_response(const RequestHeader& req, const Headers& extra) {
  const auto upgrade = field_view(req, http::field::upgrade);
  const auto connection = field_view(req, http::field::connection);
  const auto version = field_view(req, http::field::sec_websocket_version);
  const auto key = field_view(req, http::field::sec_websocket_key);
  if (req.method() != http::verb::get || !upgrade || !contains_token(*upgrade, "websocket") || !connection ||
      !contains_token(*connection, "upgrade") || !version || *version != "13" || !key)
    return {};
  std::string decoded;
  if (!wire::base64_decode_append(decoded, *key) || decoded.size() != 16) return {};
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
  out += websocket_accept_key(*key);
  out += "\r\n";
  for (const auto& [k, v] : extra) {
    out += k;
    out += ": ";
    out += v;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}


}  // namespace sio::net
