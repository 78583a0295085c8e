#include "net/client/polling_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace sio::net::client {

PollingTransport::PollingTransport(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls, Endpoint ep,
                                   std::size_t max_payload, TransportCallbacks cb)
    : ctx_(ctx), ep_(std::move(ep)), cb_(std::move(cb)) {
  get_ = std::make_shared<HttpConnection>(ctx, tls, ep_.host, ep_.port, max_payload);
  post_ = std::make_shared<HttpConnection>(ctx, tls, ep_.host, ep_.port, max_payload);
}

PollingTransport::~PollingTransport() {
  if (get_) get_->close();
  if (post_) post_->close();
}

std::string PollingTransport::build(std::string_view method, const std::string& sid, std::string_view body) const {
  std::string r;
  r.reserve(256 + body.size());
  r += method;
  r += ' ';
  r += engine_target(ep_, "polling", sid, true);
  r += " HTTP/1.1\r\nHost: ";
  r += ep_.host_header();
  r += "\r\nAccept: */*\r\n";
  for (const auto& [name, value] : ep_.headers) {
    r += name;
    r += ": ";
    r += value;
    r += "\r\n";
  }
  if (method == "POST") {
    r += "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ";
    r += std::to_string(body.size());
    r += "\r\n";
  }
  r += "\r\n";
  r += body;
  return r;
}

void PollingTransport::fail(std::error_code ec, const HttpResponse& r) {
  if (closed_) return;
  closed_ = true;
  get_->close();
  post_->close();
  std::string what;
  if (ec) {
    what = describe(ec);
  } else {
    what = "HTTP " + std::to_string(r.status);
    if (!r.body.empty()) what += ": " + r.body.substr(0, 200);
  }
  if (cb_.on_down) cb_.on_down(true, std::move(what));
}

void PollingTransport::poll(const std::string& sid) {
  if (closed_) return;
  get_->request(build("GET", sid, {}), [w = weak_from_this()](std::error_code ec, HttpResponse r) {
    auto self = w.lock();
    if (!self || self->closed_) return;
    if (ec || r.status != 200) return self->fail(ec, r);
    if (self->cb_.on_data) self->cb_.on_data(r.body, false);
  });
}

void PollingTransport::post(const std::string& sid, std::string body) {
  if (closed_) return;
  post_->request(build("POST", sid, body), [w = weak_from_this()](std::error_code ec, HttpResponse r) {
    auto self = w.lock();
    if (!self || self->closed_) return;
    if (ec || r.status != 200) return self->fail(ec, r);
    if (self->cb_.on_drain) self->cb_.on_drain();
  });
}

void PollingTransport::close(const std::string& sid, bool graceful, std::function<void()> done) {
  if (!done) done = [] {};
  if (closed_) {
    boost::asio::post(ctx_, std::move(done));
    return;
  }
  closed_ = true;
  get_->close();
  if (graceful && !sid.empty() && !post_->busy()) {
    // Tell the server. The request's own pending operations keep the
    // connection alive until the answer comes (capturing it here would make
    // a cycle that outlives a stopped loop).
    auto conn = std::move(post_);
    conn->request(build("POST", sid, "1"), [done = std::move(done)](std::error_code, HttpResponse) { done(); });
  } else {
    post_->close();
    boost::asio::post(ctx_, std::move(done));
  }
}

}  // namespace sio::net::client
