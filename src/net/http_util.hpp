// HTTP helpers for the engine's endpoints: request info from Beast's parser,
// responses rendered straight into one string, Engine.IO error bodies, CORS.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <sio/config.hpp>
#include <sio/error.hpp>

namespace sio::net {

namespace http = boost::beast::http;
using Headers = std::map<std::string, std::string>;

using RequestHeader = http::request_header<>;

// The whole request, for the user (a handshake, an on_http request, a hook);
// `body` only for an on_http request.
HttpRequest make_request(const RequestHeader& req, std::string_view remote_address, bool secure,
                         std::string_view body = {});

// "HTTP/1.1 <status> <reason>\r\n" + headers + Content-Length + body.
std::string render_response(int status, const Headers& headers, std::string_view body, bool keep_alive);

// Engine.IO error response: 400 (403 for forbidden) and {"code":N,"message":"..."}.
struct EngineError {
  errc code;
  std::string message;  // empty: the standard message
};
int engine_error_code(errc e);  // 0..5
int engine_error_status(errc e);
std::string engine_error_body(const EngineError& e);

// Adds the CORS headers for `req` (nothing when CORS is off or the origin is not allowed).
void add_cors_headers(const CorsOptions& cors, const RequestHeader& req, Headers& out);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string websocket_accept_key(std::string_view key);

// 101 Switching Protocols for a valid WebSocket upgrade request, or an empty
// string when the request is not a valid one (the caller answers 400).
std::string websocket_handshake_response(const RequestHeader& req, const Headers& extra);

// A JSON string's content: quotes, backslashes and control characters
// escaped (\u00XX); bytes from 0x80 as they are (UTF-8 stays UTF-8).
void append_json_escaped(std::string& out, std::string_view s);
std::string json_escape(std::string_view s);

}  // namespace sio::net
