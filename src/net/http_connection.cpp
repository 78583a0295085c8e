#include "net/http_connection.hpp"

#include <sys/socket.h>

#include <cctype>
#include <cerrno>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "net/http_compress.hpp"
#include "net/http_read.hpp"
#include "wire/forwarded.hpp"
#include "wire/query.hpp"

namespace sio::net {

using boost::asio::ip::tcp;
namespace beast = boost::beast;

namespace {
constexpr std::size_t kHeaderLimit = 16 * 1024;
// Bytes read and not yet parsed: a header window, a chunk-size line or the
// trailers (a body goes to the request as it is parsed). Without a bound a
// chunk extension or trailer that never ends would grow it for as long as
// the request timer allows.
constexpr std::size_t kReadBufferLimit = 64 * 1024;
// After the last response, what the client still sends is read and dropped
// for at most this long, or this many bytes (see linger()): Apache's 2 s.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::size_t kLingerBytes = 256 * 1024;

// The handler of a WebSocket opened only to be closed: what it sends is dropped.
WsConnection::Handler& ignored_websocket() {
  struct Ignore final : WsConnection::Handler {
    void on_ws_message(std::string_view, bool) override {}
    void on_ws_closed(std::uint16_t, std::error_code) override {}
  };
  static Ignore ignore;
  return ignore;
}

WsConnection::Limits ws_limits(const ServerCore& core) {
  WsConnection::Limits l;
  l.max_message = core.opts.max_http_buffer_size;
  l.max_buffered = core.opts.max_buffered_bytes;
  l.inbound = core.budget.get();
  return l;
}

std::optional<std::string> sid_of(const RequestHeader& req) {
  return wire::query_value(wire::split_target(req.target()).query, "sid");
}

// The Upgrade header names "websocket" (any case).
bool asks_websocket(const RequestHeader& req) {
  auto it = req.find(http::field::upgrade);
  if (it == req.end()) return false;
  std::string v(it->value());
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v.find("websocket") != std::string::npos;
}
}

HttpConnection::HttpConnection(ServerCore& core, AsioLoop& loop, tcp::socket socket, const tcp::endpoint& peer)
    : core_(core), loop_(loop), stream_(std::move(socket)), buffer_(kReadBufferLimit),
      remote_(peer.address().to_string()), body_lease_(core.budget.get(), loop.index()) {
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  // The handshake runs in the first request's read, within opts.request_timeout.
  if (core.tls) stream_.use_tls(std::make_unique<TlsChannel>(core.tls->current()));
}

void HttpConnection::close_in(std::chrono::milliseconds delay) {
  if (request_timer_) loop_.cancel_timer(request_timer_);
  request_timer_ = loop_.start_timer(delay, [weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->request_timer_ = 0;
      boost::system::error_code ignored;
      self->socket_.close(ignored);  // the pending read ends with operation_aborted
    }
  });
}

void HttpConnection::read_request() {
  close_in(core_.opts.request_timeout);
  parser_.emplace();
  body_lease_.reset();
  sid_.reset();
  full_.reset();
  parser_->body_limit(core_.opts.max_http_buffer_size);
  replied_ = false;
  post_token_ = 0;
  async_read_request_header(stream_, buffer_, *parser_, HeaderLimits{kHeaderLimit, core_.opts.max_header_fields},
                            [self = shared_from_this()](boost::system::error_code ec) { self->on_header(ec); });
}

void HttpConnection::on_header(boost::system::error_code ec) {
  if (ec) return on_request(ec);
  const auto& req = parser_->get();
  if (!parser_->is_done()) {
    // A body is held against the server-wide budget from here on: all its
    // declared length at once (refused before any of it is read), a chunked
    // one as it comes (read_body).
    const std::uint64_t declared = parser_->content_length().value_or(0);
    if (!body_lease_.hold(static_cast<std::size_t>(std::min<std::uint64_t>(declared, core_.opts.max_http_buffer_size))))
      return refuse_busy();
  }
  // A polling POST is active from its headers on (as engine.io): a second
  // one arriving meanwhile is an overlap that ends the session.
  if (req.method() == http::verb::post) {
    sid_ = sid_of(req);
    const int idx = sid_ ? core_.loop_of(*sid_) : -1;
    if (idx >= 0) {
      static std::atomic<std::uint64_t> next_token{1};
      post_token_ = next_token.fetch_add(1, std::memory_order_relaxed);
      on_session_loop(idx, [token = post_token_, refuse = responder()](SessionHost* host) mutable {
        if (host) host->on_post_begin(token, std::move(refuse));
      });
    }
  }
  if (parser_->is_done()) return on_request({});
  read_body();
}

void HttpConnection::read_body() {
  body_reading_ = true;
  http::async_read_some(stream_, buffer_, *parser_,
                        [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->body_reading_ = false;
                          if (ec) return self->on_request(ec);
                          // What the body holds now (a chunked one grows).
                          if (!self->body_lease_.hold(self->parser_->get().body().capacity())) return self->refuse_busy();
                          if (!self->parser_->is_done()) return self->read_body();
                          self->on_request({});
                        });
}

void HttpConnection::refuse_busy() {
  // The server holds too many bodies already: this one is not read. Its
  // session ends (its packets are lost, as for a body too large), and the
  // client, told to retry later, reconnects.
  if (request_timer_) loop_.cancel_timer(std::exchange(request_timer_, 0));
  keep_alive_ = false;
  release_body();
  if (post_token_) {
    abort_post();
  } else {
    sid_ = sid_of(parser_->get());
    fail_session_of_current();
  }
  const std::error_code busy = make_error_code(errc::http_server_busy);
  write(503, {{"Content-Type", "application/json"}, {"Retry-After", "1"}},
        engine_error_body({errc::eio_bad_request, busy.message()}));
}

void HttpConnection::release_body() {
  if (parser_) std::string().swap(parser_->get().body());
  body_lease_.reset();
}

void HttpConnection::on_request(boost::system::error_code ec) {
  if (request_timer_) {
    loop_.cancel_timer(request_timer_);
    request_timer_ = 0;
  }
  if (ec || replied_) release_body();  // no one will read it
  if (ec == http::error::body_limit) {
    // Refused without buffering the rest of it; the session ends (as engine.io).
    keep_alive_ = false;
    sid_ = sid_of(parser_->get());
    fail_session_of_current();
    write(413, {{"Content-Type", "text/plain"}}, "Payload Too Large");
    return;
  }
  if (ec) {
    abort_post();  // its body never came whole
    // A header past its limits (431), a framing RFC 9112 forbids (400, 501),
    // a request that does not parse (400): answered, then closed, without
    // the hooks (as Node's http server answers these before its handlers).
    if (socket_.is_open() && !replied_) {
      if (std::string res = render_refusal(ec); !res.empty()) return write_raw(std::move(res));
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
    return;
  }
  if (replied_) return;  // refused while its body was still arriving
  if (too_many_fields(parser_->get(), core_.opts.max_header_fields)) {  // with the chunked body's trailers
    release_body();
    abort_post();
    return write_raw(render_refusal(make_error_code(errc::http_header_too_large)));
  }
  route();
  release_body();  // moved to its session, or copied into the on_http request, by now
}

void HttpConnection::abort_post() {
  if (!post_token_) return;
  // sid_ was read with the POST's header.
  if (const int idx = sid_ ? core_.loop_of(*sid_) : -1; idx >= 0)
    on_session_loop(idx, [token = post_token_](SessionHost* host) {
      if (host) host->on_post_aborted(token);
    });
  post_token_ = 0;
}

const HttpRequest& HttpConnection::full_request() {
  if (!full_) full_ = std::make_shared<const HttpRequest>(make_request(parser_->get(), remote_, false));
  return *full_;
}

void HttpConnection::route() {
  auto& req = parser_->get();
  keep_alive_ = req.keep_alive();
  const wire::SplitTarget target = wire::split_target(req.target());
  std::string path;
  wire::percent_decode_append(path, target.path, false);
  const std::string& prefix = core_.opts.path;  // e.g. "/socket.io/"
  const bool engine_path = path.rfind(prefix, 0) == 0 ||
                           (prefix.size() > 1 && prefix.back() == '/' &&
                            std::string_view(path) == std::string_view(prefix).substr(0, prefix.size() - 1));
  if (!engine_path) {
    HttpResponse res;
    // Built here with its body (a form, a JSON POST): the handler's own request.
    if (core_.http_handler &&
        core_.http_handler(make_request(req, remote_, false, req.body()), res)) {
      Headers h = std::move(res.headers);
      h["Content-Type"] = res.content_type;
      write(res.status, std::move(h), res.body);
    } else {
      write(404, {{"Content-Type", "text/plain"}}, "Not Found");
    }
    return;
  }
  handle_engine(target.query, std::move(req.body()), asks_websocket(req));
}

void HttpConnection::handle_engine(std::string_view query, std::string&& body, bool upgrade) {
  // Only what routing needs is read here (transport, sid, EIO, a few header
  // fields in place): the full request is built for a handshake only.
  const auto& req = parser_->get();
  const http::verb method = req.method();
  if (method == http::verb::options && !upgrade) {  // CORS preflight
    Headers h;
    add_cors_headers(core_.opts.cors, req, h);
    write(204, std::move(h), "");
    return;
  }
  const std::optional<std::string> transport = wire::query_value(query, "transport");
  const bool polling = transport && *transport == "polling" && core_.opts.allow_polling;
  const bool websocket = transport && *transport == "websocket" && core_.opts.allow_websocket;
  if (!polling && !websocket) return write_error({errc::eio_unknown_transport, {}});

  sid_ = wire::query_value(query, "sid");
  if (!sid_) return handle_handshake(query, upgrade);
  const std::string& sid = *sid_;

  const int idx = core_.loop_of(sid);
  if (idx < 0) return write_error({errc::eio_unknown_sid, {}});
  const std::uint8_t protocol = protocol_asked(query);
  if (upgrade) {
    if (!websocket) return write_error({errc::eio_bad_request, {}});
    return handle_upgrade_of(sid, idx, protocol);
  }
  if (!polling) {
    // The sid is looked up first, as engine.io does: a session that is gone is
    // "Session ID unknown" (code 1) whatever the transport asked; a live one
    // asked for over another transport without an upgrade is a bad request
    // (code 3), and stays as it was.
    on_session_loop(idx, [reply = responder()](SessionHost* host) { reply(PollReply{host ? -3 : -1, {}, {}}); });
    return;
  }
  if (method != http::verb::get && method != http::verb::post) return write_error({errc::eio_bad_request, {}});

  // Protocol 3 clients may POST a binary payload; protocol 4 sends binary as base64 text.
  bool octet = false;
  if (method == http::verb::post) {
    auto ct = req.find(http::field::content_type);
    octet = ct != req.end() && ct->value() == "application/octet-stream";
  }
  const bool is_get = method == http::verb::get;
  if (is_get) {
    awaiting_reply_ = true;
    watch_for_abort(idx, sid);
  }
  on_session_loop(idx, [sid, is_get, octet, protocol, body = std::move(body), token = post_token_,
                        reply = responder()](SessionHost* host) mutable {
    if (!host) {
      reply(PollReply{-1, {}, {}});  // unknown sid
      return;
    }
    if (host->transport() != engine::TransportKind::polling || host->protocol() != protocol) {
      reply(PollReply{-3, {}, {}});  // the session moved to WebSocket, or speaks another protocol
      return;
    }
    if (is_get) host->on_poll_get(std::move(reply));
    else host->on_poll_post(token, body, octet, std::move(reply));
  });
}

std::uint8_t HttpConnection::protocol_asked(std::string_view query) {
  return wire::query_value(query, "EIO") == "4" ? 4 : 3;
}

void HttpConnection::handle_handshake(std::string_view query, bool upgrade) {
  if (parser_->get().method() != http::verb::get) return write_error({errc::eio_bad_handshake_method, {}});
  if (wire::query_value(query, "transport") == "websocket" && !upgrade) return write_error({errc::eio_bad_request, {}});
  // engine.io takes any EIO but "4" for protocol 3, refused unless allowEIO3.
  const std::uint8_t protocol = protocol_asked(query);
  if (protocol == 3 && !core_.opts.allow_eio3) return write_error({errc::eio_unsupported_version, {}});
  // "b64": a protocol 3 client that cannot take binary (binary goes as "b4" + base64).
  const bool b64 = protocol == 3 && !wire::query_value(query, "b64").value_or("").empty();
  const HttpRequest& info = full_request();  // built once, kept by the session
  if (core_.opts.allow_request) {
    if (auto refusal = core_.opts.allow_request(info)) return write_error({errc::eio_forbidden, *refusal});
  }
  if (core_.stopping) return write(503, {{"Content-Type", "text/plain"}}, "Server shutting down");
  std::optional<std::string> admitted;  // the client address holding a place (EngineOptions::limits)
  if (core_.admission->active()) {
    admitted = admit(info);
    if (!admitted) return;  // refused (answered)
  }

  auto& registry = *core_.registries[loop_.index()];
  const auto kind = upgrade ? engine::TransportKind::websocket : engine::TransportKind::polling;
  std::string sid = core_.new_sid(loop_.index());
  Headers extra = handshake_headers(info, sid);
  if (upgrade) {
    wire::SharedBytes preamble = handshake_101(std::move(extra));
    if (!preamble) return write(400, {{"Content-Type", "text/plain"}}, "Bad WebSocket handshake");
    std::string rest = leftover();
    std::unique_ptr<TlsChannel> tls;
    if (!stream_.release_tls(tls)) return write(503, {{"Content-Type", "text/plain"}}, "Try again");
    auto ws = std::make_shared<WsConnection>(loop_, std::move(socket_), ws_limits(core_), std::move(tls));
    auto host = std::make_shared<SessionHost>(loop_, registry, std::move(sid), kind, full_, core_.opts, protocol, b64);
    if (admitted) registry.add(host, std::move(*admitted));
    else registry.add(host);
    host->open_websocket(*core_.acceptor, std::move(ws), rest, std::move(preamble));
    return;  // the socket now belongs to the WebSocket
  }
  pending_headers_ = std::move(extra);
  auto host = std::make_shared<SessionHost>(loop_, registry, std::move(sid), kind, full_, core_.opts, protocol, b64);
  if (admitted) registry.add(host, std::move(*admitted));
  else registry.add(host);
  awaiting_reply_ = true;
  watch_for_abort(static_cast<int>(loop_.index()), host->id());
  host->open(*core_.acceptor);
  host->on_poll_get(responder());
}

std::optional<std::string> HttpConnection::admit(const HttpRequest& info) {
  const std::vector<std::string>& trusted = core_.opts.limits.trusted_proxies;
  std::string forwarded;
  if (!trusted.empty()) {  // every X-Forwarded-For field, as one list
    for (const auto& f : parser_->get()) {
      if (!beast::iequals(f.name_string(), "x-forwarded-for")) continue;
      if (!forwarded.empty()) forwarded += ',';
      forwarded.append(f.value().data(), f.value().size());
    }
  }
  std::string address(wire::client_address(info.remote_address(), forwarded, trusted));
  const char* refusal = nullptr;
  switch (core_.admission->admit(address, engine::Admission::Clock::now())) {
    case engine::Admission::Verdict::admitted: return address;
    case engine::Admission::Verdict::server_full: refusal = "Too many connections"; break;
    case engine::Admission::Verdict::address_full: refusal = "Too many connections from this address"; break;
    case engine::Admission::Verdict::address_too_fast: refusal = "Too many handshakes from this address"; break;
  }
  write_error({errc::eio_forbidden, refusal});
  return std::nullopt;
}

Headers HttpConnection::handshake_headers(const HttpRequest& info, const std::string& sid) const {
  Headers h;
  if (core_.opts.initial_headers) core_.opts.initial_headers(info, h);
  const auto& c = core_.opts.cookie;
  if (c.enabled) {
    std::string v = c.name + "=" + sid + "; Path=" + c.path;
    if (c.http_only) v += "; HttpOnly";
    if (!c.same_site.empty()) v += "; SameSite=" + c.same_site;
    h["Set-Cookie"] = v;
  }
  return h;
}

wire::SharedBytes HttpConnection::handshake_101(Headers extra) {
  if (core_.opts.headers) core_.opts.headers(full_request(), extra);
  std::string r = websocket_handshake_response(parser_->get(), extra);
  if (r.empty()) return {};
  return wire::SharedBytes::copy_of(r);
}

std::string HttpConnection::leftover() const {
  auto d = buffer_.data();
  return std::string(static_cast<const char*>(d.data()), d.size());
}

void HttpConnection::handle_upgrade_of(const std::string& sid, int loop_index, std::uint8_t eio) {
  wire::SharedBytes preamble = handshake_101({});
  if (!preamble) return write(400, {{"Content-Type", "text/plain"}}, "Bad WebSocket handshake");
  std::string rest = leftover();
  // The TLS channel goes with the socket (a shared_ptr: a task is copyable).
  auto tls = std::make_shared<std::unique_ptr<TlsChannel>>();
  if (!stream_.release_tls(*tls)) return write(503, {{"Content-Type", "text/plain"}}, "Try again");
  AsioLoop& target = *core_.loops[static_cast<std::size_t>(loop_index)];
  auto adopt = [&core = core_, &target, sid, eio, tls, rest = std::move(rest), preamble = std::move(preamble)](
                   tcp::socket sock) mutable {
    auto host = core.registries[target.index()]->find(sid);
    auto refuse = [&](const EngineError& e) {
      boost::system::error_code ec;
      const std::string body = engine_error_body(e);
      std::string res = render_response(engine_error_status(e.code), {{"Content-Type", "application/json"}}, body, false);
      if (*tls) {
        std::string cipher;
        (*tls)->write(res, cipher);
        (*tls)->close(cipher);
        res = std::move(cipher);
      }
      boost::asio::write(sock, boost::asio::buffer(res), ec);
      sock.close(ec);
    };
    if (!host) return refuse({errc::eio_unknown_sid, {}});
    if (host->protocol() != eio) return refuse({errc::eio_bad_request, {}});  // engine.io: PROTOCOL_MISMATCH
    auto ws = std::make_shared<WsConnection>(target, std::move(sock), ws_limits(core), std::move(*tls));
    // Already upgraded, or upgrading: this WebSocket is ignored as engine.io
    // does (and the official suites expect): opened (101), then closed at
    // once, with nothing read from it. The session goes on untouched.
    if (!host->can_upgrade()) {
      ws->start(&ignored_websocket(), {}, preamble);
      ws->close(wire::ws::close_code::normal, "");
      return;
    }
    host->begin_upgrade(ws, rest, preamble);
  };
  if (&target == &loop_) {
    adopt(std::move(socket_));
    return;
  }
  // Move the socket to the session's loop.
  boost::system::error_code ec;
  const auto protocol = socket_.local_endpoint(ec).protocol();
  if (ec) return;
  const auto fd = socket_.release(ec);
  if (ec) return;
  target.post([&target, protocol, fd, adopt = std::move(adopt)]() mutable {
    tcp::socket sock(target.context());
    boost::system::error_code ec2;
    sock.assign(protocol, fd, ec2);
    if (ec2) return;
    adopt(std::move(sock));
  });
}

void HttpConnection::on_session_loop(int loop_index, std::function<void(SessionHost*)> fn) {
  AsioLoop& target = *core_.loops[static_cast<std::size_t>(loop_index)];
  auto run = [&core = core_, &target, fn = std::move(fn), sid = sid_.value_or(std::string())] {
    auto host = core.registries[target.index()]->find(sid);
    fn(host.get());
  };
  if (&target == &loop_) run();
  else target.post(std::move(run));
}

void HttpConnection::fail_session_of_current() {
  if (!sid_) return;
  const int idx = core_.loop_of(*sid_);
  if (idx < 0) return;
  on_session_loop(idx, [](SessionHost* host) {
    if (host) host->fail_transport();
  });
}

PollResponder HttpConnection::responder() {
  // Holds the connection: when the session runs on another loop, this may be
  // the last reference by the time the answer is posted back home.
  AsioLoop* home = &loop_;
  return [self = shared_from_this(), home](PollReply r) mutable {
    home->dispatch([self = std::move(self), r = std::move(r)]() mutable { self->write_poll_reply(std::move(r)); });
  };
}

void HttpConnection::watch_for_abort(int loop_index, std::string sid) {
  // While a GET waits at its session, the socket turning readable means the
  // client went away, or sent its next requests (HTTP/1.1 pipelining). Only
  // the end of the stream or an error is an abort; pipelined bytes stay where
  // they are (the kernel, or buffer_) and are read after this GET's reply.
  if (buffer_.size() != 0 || stream_.buffered()) return;  // requests already pipelined: served next
  const std::uint64_t gen = ++reply_gen_;
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this(), gen, loop_index, sid = std::move(sid)](
                                                 boost::system::error_code ec) mutable {
    if (ec || gen != self->reply_gen_ || !self->awaiting_reply_) return;
    if (self->stream_.tls()) {
      // Records, not bytes: decrypted now into buffer_ (a pipelined request,
      // served after this reply), or nothing yet (a partial record, a
      // post-handshake message), or the end (close_notify, FIN, an error).
      const std::size_t room = std::min<std::size_t>(kReadBufferLimit - self->buffer_.size(), 16384);
      const auto r = self->stream_.read_now(self->buffer_.prepare(room));
      self->buffer_.commit(r.n);
      if (r.n > 0 || self->stream_.buffered()) return;  // a pipelined request: no more watching
      if (!r.ec) return self->watch_for_abort(loop_index, std::move(sid));
      return self->aborted_poll(loop_index, sid);
    }
    char byte;
    const ssize_t n = ::recv(self->socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) return;  // a pipelined request: no more watching (the socket stays readable)
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      return self->watch_for_abort(loop_index, std::move(sid));  // spurious wake-up
    self->aborted_poll(loop_index, sid);  // end of stream (n == 0) or a socket error
  });
}

void HttpConnection::aborted_poll(int loop_index, const std::string& sid) {
  awaiting_reply_ = false;
  AsioLoop& target = *core_.loops[static_cast<std::size_t>(loop_index)];
  target.dispatch([&core = core_, &target, sid] {
    if (auto host = core.registries[target.index()]->find(sid)) host->on_poll_get_aborted();
  });
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void HttpConnection::write_poll_reply(PollReply r) {
  if (replied_) return;  // this request was already answered (a refused POST)
  if (r.status == 400 && post_token_ && !parser_->is_done()) keep_alive_ = false;  // refused mid-body
  if (r.status == -1) return write_error({errc::eio_unknown_sid, {}});
  if (r.status == -3) return write_error({errc::eio_bad_request, {}});
  if (!socket_.is_open()) return;
  Headers h{{"Content-Type", r.content_type}, {"Cache-Control", "no-store"}};
  const HttpCompressionOptions& hc = core_.opts.http_compression;
  if (r.compress && hc.enabled && r.body.size() >= hc.threshold) {
    const wire::ContentCoding coding = wire::preferred_coding(accept_encoding());
    std::string packed;
    if (coding != wire::ContentCoding::identity && compress_body(r.body, coding, hc.level, packed)) {
      h["Content-Encoding"] = std::string(wire::coding_name(coding));
      return write(r.status, std::move(h), packed);
    }
  }
  write(r.status, std::move(h), r.body);
}

std::string HttpConnection::accept_encoding() const {
  // Repeated fields read as one list, as Node joins them.
  std::string list;
  for (const auto& f : parser_->get()) {
    if (f.name() != http::field::accept_encoding) continue;
    if (!list.empty()) list += ", ";
    list.append(f.value().data(), f.value().size());
  }
  return list;
}

void HttpConnection::write_error(const EngineError& e) {
  write(engine_error_status(e.code), {{"Content-Type", "application/json"}}, engine_error_body(e));
}

void HttpConnection::write(int status, Headers headers, std::string_view body) {
  if (awaiting_reply_) {
    awaiting_reply_ = false;
    ++reply_gen_;
    boost::system::error_code ignored;
    socket_.cancel(ignored);  // stops the abort watch
  }
  if (!socket_.is_open()) return;
  replied_ = true;
  add_cors_headers(core_.opts.cors, parser_->get(), headers);
  if (core_.opts.headers) core_.opts.headers(full_request(), headers);
  for (auto& [k, v] : pending_headers_) headers[k] = v;  // the handshake's own
  pending_headers_.clear();
  out_ = render_response(status, headers, body, keep_alive_);
  stream_.async_write(out_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
    if (ec) return;
    self->after_write();
  });
}

void HttpConnection::write_raw(std::string response) {
  keep_alive_ = false;
  replied_ = true;
  out_ = std::move(response);
  stream_.async_write(out_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
    if (ec) return;
    self->after_write();
  });
}

void HttpConnection::after_write() {
  out_.clear();
  out_.shrink_to_fit();
  if (!keep_alive_) return linger();
  read_request();
}

void HttpConnection::linger() {
  // Our side ends first (FIN after the response). Closing at once with the
  // client's bytes still unread (the rest of a refused request) would reset
  // the connection, and a client may lose the response it has not read yet:
  // what the client still sends is read and dropped until it closes too, for
  // at most kLingerTime or kLingerBytes (Apache httpd lingers the same way).
  boost::system::error_code ec;
  release_body();
  // A body still being read (a POST refused as an overlap mid-body): closed
  // at once, as its read cannot share the socket with the drain.
  if (body_reading_) return socket_.close(ec), void();
  stream_.close_notify();  // TLS: our end of the stream, before the FIN
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return socket_.close(ec), void();
  buffer_.consume(buffer_.size());
  lingered_ = 0;
  close_in(kLingerTime);
  drain();
}

void HttpConnection::drain() {
  socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
    self->lingered_ += n;  // never committed: buffer_ holds nothing
    if (!ec && self->lingered_ <= kLingerBytes) return self->drain();
    if (self->request_timer_) self->loop_.cancel_timer(self->request_timer_);
    self->request_timer_ = 0;
    boost::system::error_code ignored;
    self->socket_.close(ignored);
  });
}

}  // namespace sio::net
