// Options, with socket.io's defaults, commented where they are declared.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sio/http_request.hpp>

namespace sio {

/// The answer to a plain HTTP request (outside the engine's path), from a
/// handler set with Server::on_http (e.g. a page and its scripts).
struct HttpResponse {
  int status = 200;                             ///< HTTP status code
  std::string content_type = "text/plain";      ///< the Content-Type header
  std::string body;                             ///< the response body
  std::map<std::string, std::string> headers;   ///< more headers (name -> value)
};
/// Fills `res` and returns true, or returns false for a 404.
using HttpHandler = std::function<bool(const HttpRequest&, HttpResponse&)>;

/// Cross-origin resource sharing for the polling transport (socket.io's `cors`).
struct CorsOptions {
  bool enabled = false;                  ///< off: no CORS headers (socket.io: off unless set)
  std::vector<std::string> origins;      ///< allowed origins; empty + enabled = any ("*")
  std::function<bool(const std::string& origin)> origin_fn;  ///< decides when set
  bool credentials = false;              ///< Access-Control-Allow-Credentials
  std::vector<std::string> methods{"GET", "POST"};  ///< allowed methods of a preflight answer
  std::vector<std::string> allowed_headers;  ///< empty: echo the request's
  std::optional<int> max_age_s;          ///< preflight cache, unset: no header
};

/// The Engine.IO session cookie (socket.io's `cookie`): off by default.
struct CookieOptions {
  bool enabled = false;            ///< off: no cookie (socket.io: off unless set)
  std::string name = "io";         ///< the cookie's name: socket.io's default
  std::string path = "/";          ///< its Path attribute
  bool http_only = true;           ///< its HttpOnly attribute
  std::string same_site = "Lax";   ///< its SameSite attribute
};

/// HTTP compression of polling responses (engine.io's httpCompression), by
/// the request's Accept-Encoding: gzip or deflate (zlib format).
struct HttpCompressionOptions {
  bool enabled = true;           ///< on, as in engine.io
  std::size_t threshold = 1024;  ///< bytes: a smaller response goes as it is (engine.io's default)
  int level = -1;                ///< zlib's 0-9; -1: zlib's default (6), as Node's zlib
};

/// Limits on new sessions (not in socket.io). A handshake past one is
/// refused as engine.io refuses a handshake (allowRequest): HTTP 403
/// `{"code":4,"message":...}`. Each 0: no limit (the default).
struct SessionLimits {
  std::size_t max_sessions = 0;              ///< open at once: "Too many connections"
  std::size_t max_sessions_per_address = 0;  ///< per client address: "Too many connections from this address"
  /// Handshakes a second per client address (a token bucket holding
  /// `handshake_burst`): "Too many handshakes from this address".
  double handshakes_per_second = 0;
  double handshake_burst = 10;               ///< handshakes an address may make at once (with a rate)
  /// Peers whose X-Forwarded-For names the client's address (exact
  /// addresses, e.g. "127.0.0.1" for a local nginx); empty: the TCP peer is
  /// the client. Read from the right, skipping these proxies.
  std::vector<std::string> trusted_proxies;
};

/// TLS on the listening port: with cert_file set, the port speaks https://
/// and wss:// only (TLS 1.2 and later, ALPN "http/1.1"). Files are PEM. A
/// file that cannot be read or used makes the server's constructor throw
/// std::system_error (errc::tls_bad_file) naming it with OpenSSL's reason;
/// Server::reload_tls() reads them again for new connections.
struct TlsOptions {
  std::string cert_file;       ///< empty: no TLS (plain http/ws); else the certificate chain, leaf first
  std::string key_file;        ///< the certificate's private key (unencrypted PEM)
  std::string client_ca_file;  ///< empty: no client certificates; else mutual TLS: every client must
                               ///< present a certificate that this CA signed
};

/// Engine.IO options, with socket.io's defaults (also ServerOptions::engine).
struct EngineOptions {
  std::string path = "/socket.io/";        ///< socket.io's default (engine.io's own is /engine.io/)
  std::chrono::milliseconds ping_interval{25000};   ///< 25 s: matches socket.io
  std::chrono::milliseconds ping_timeout{20000};    ///< 20 s: matches socket.io
  std::chrono::milliseconds upgrade_timeout{10000}; ///< 10 s: matches socket.io
  std::size_t max_http_buffer_size = 1'000'000;     ///< 1e6 bytes: matches socket.io (maxPayload)
  /// A request (header and body) must arrive whole within this, counted from
  /// the connection's accept or its previous response; over TLS the
  /// handshake counts in the first request's time. Past it the connection is
  /// closed: an idle keep-alive connection, a peer trickling bytes, a TLS
  /// handshake that stalls. 30 s (Node's headersTimeout is 60 s).
  std::chrono::milliseconds request_timeout{30000};
  bool allow_polling = true;               ///< transports: ["polling", "websocket"]
  bool allow_websocket = true;             ///< WebSocket offered (directly or as an upgrade)
  bool allow_upgrades = true;              ///< matches socket.io
  bool allow_eio3 = false;                 ///< off: only protocol 4 (socket.io's allowEIO3); on: EIO=3 clients
                                           ///< (socket.io-client 2.x) spoken to in Engine.IO 3 / Socket.IO 4
  std::size_t max_buffered_bytes = 16u << 20;  ///< per connection output cap: a peer that
                                               ///< does not read is closed past it (not in socket.io)
  /// Header fields per HTTP request (handshake, upgrade, polling, on_http):
  /// past it the request is answered 431 and the connection closed (not in
  /// socket.io; Node's http allows 2000 within 16 KB). 100 is Apache httpd's
  /// LimitRequestFields: a browser's Socket.IO request carries ~15, proxies
  /// and CDNs add a dozen more.
  std::size_t max_header_fields = 100;
  /// Server-wide budget of inbound bytes held while received: the bodies of
  /// requests being read (polling POSTs) and Socket.IO binary attachments
  /// awaiting the rest of their packet (not in socket.io, whose limits are per
  /// connection only: 500 POSTs 1 KB short of 1 MB held 488 MB). Past it a
  /// request with a body is answered 503 (and its session closed), and a
  /// connection whose attachments would pass it is closed. 64 MiB: 64 bodies
  /// of the largest size (max_http_buffer_size, 1e6) at once, or thousands of
  /// ordinary ones; keep it at least max_http_buffer_size. 0: no budget.
  std::size_t max_inbound_buffered = 64u << 20;
  SessionLimits limits;                     ///< sessions open at once, per address, handshake rate: none
  HttpCompressionOptions http_compression;  ///< polling responses of 1 KB or more: gzip/deflate when accepted
  CorsOptions cors;                        ///< CORS for polling: off
  TlsOptions tls;                          ///< off: plain http/ws
  CookieOptions cookie;                    ///< the session cookie: off
  /// allowRequest: return nullopt to accept, or a message to refuse with
  /// 403 {"code":4,"message":...}.
  std::function<std::optional<std::string>(const HttpRequest&)> allow_request;
  /// initial_headers: extra headers on the handshake response.
  std::function<void(const HttpRequest&, std::map<std::string, std::string>&)> initial_headers;
  /// headers: extra headers on every response.
  std::function<void(const HttpRequest&, std::map<std::string, std::string>&)> headers;
};

}  // namespace sio
