#include "net/client/stream.hpp"

#include <array>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace sio::net::client {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

struct TlsContext::Impl {
  ssl::context ctx{ssl::context::tls_client};
};

TlsContext::TlsContext(const TlsOptions& opts) : opts_(opts), impl_(std::make_unique<Impl>()) {
  auto& c = impl_->ctx;
  c.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
  if (!opts.verify_peer) {
    c.set_verify_mode(ssl::verify_none);
    return;
  }
  c.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (opts.ca_file.empty()) {
    c.set_default_verify_paths(ec);
  } else {
    c.load_verify_file(opts.ca_file, ec);
  }
  if (ec) throw std::system_error(ec, opts.ca_file.empty() ? "TLS trust store" : "TLS CA file " + opts.ca_file);
}

TlsContext::~TlsContext() = default;

void* TlsContext::native() noexcept { return &impl_->ctx; }

namespace {

class AsioStream final : public Stream, public std::enable_shared_from_this<AsioStream> {
 public:
  AsioStream(asio::io_context& ctx, std::shared_ptr<TlsContext> tls)
      : resolver_(ctx), tls_(std::move(tls)) {
    if (tls_) {
      ssl_.emplace(ctx, *static_cast<ssl::context*>(tls_->native()));
    } else {
      tcp_.emplace(ctx);
    }
  }

  void connect(const std::string& host, std::uint16_t port, Done done) override {
    host_ = host;
    resolver_.async_resolve(host, std::to_string(port),
        [self = shared_from_this(), done = std::move(done)](const boost::system::error_code& ec,
                                                             tcp::resolver::results_type results) mutable {
          if (ec) return done(ec);
          asio::async_connect(self->socket(), results,
              [self, done = std::move(done)](const boost::system::error_code& ec, const tcp::endpoint&) mutable {
                if (ec) return done(ec);
                boost::system::error_code ignored;
                self->socket().set_option(tcp::no_delay(true), ignored);
                if (!self->ssl_) return done({});
                self->handshake(std::move(done));
              });
        });
  }

  void read_some(ReadDone done) override {
    auto handler = [self = shared_from_this(), done = std::move(done)](const boost::system::error_code& ec,
                                                                       std::size_t n) {
      done(ec, std::string_view(self->buf_.data(), ec ? 0 : n));
    };
    if (ssl_) {
      ssl_->async_read_some(asio::buffer(buf_), std::move(handler));
    } else {
      tcp_->async_read_some(asio::buffer(buf_), std::move(handler));
    }
  }

  void write(std::string bytes, Done done) override {
    out_ = std::move(bytes);
    auto handler = [self = shared_from_this(), done = std::move(done)](const boost::system::error_code& ec,
                                                                       std::size_t) { done(ec); };
    if (ssl_) {
      asio::async_write(*ssl_, asio::buffer(out_), std::move(handler));
    } else {
      asio::async_write(*tcp_, asio::buffer(out_), std::move(handler));
    }
  }

  void close() override {
    resolver_.cancel();
    boost::system::error_code ignored;
    auto& s = socket();
    if (s.is_open()) {
      s.shutdown(tcp::socket::shutdown_both, ignored);
      s.close(ignored);
    }
  }

  bool is_open() const override { return ssl_ ? ssl_->lowest_layer().is_open() : tcp_->is_open(); }

 private:
  tcp::socket& socket() { return ssl_ ? ssl_->next_layer() : *tcp_; }

  void handshake(Done done) {
    // SNI (host names only: RFC 6066 forbids literal addresses there), and
    // the name the certificate must carry (DNS name or IP address).
    boost::system::error_code not_ip;
    asio::ip::make_address(host_, not_ip);
    if (not_ip && !SSL_set_tlsext_host_name(ssl_->native_handle(), host_.c_str())) {
      return done(boost::system::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
    }
    if (tls_->options().verify_peer) ssl_->set_verify_callback(ssl::host_name_verification(host_));
    ssl_->async_handshake(ssl::stream_base::client,
        [self = shared_from_this(), done = std::move(done)](const boost::system::error_code& ec) { done(ec); });
  }

  tcp::resolver resolver_;
  std::shared_ptr<TlsContext> tls_;
  std::optional<tcp::socket> tcp_;
  std::optional<ssl::stream<tcp::socket>> ssl_;
  std::string host_;
  std::string out_;
  std::array<char, 16 * 1024> buf_{};
};

}  // namespace

std::shared_ptr<Stream> Stream::make(asio::io_context& ctx, std::shared_ptr<TlsContext> tls) {
  return std::make_shared<AsioStream>(ctx, std::move(tls));
}

bool is_eof(const std::error_code& ec) {
  static const std::error_code eof = boost::system::error_code(asio::error::eof);
  static const std::error_code truncated = boost::system::error_code(ssl::error::stream_truncated);
  return ec == eof || ec == truncated;
}

std::string describe(const std::error_code& ec) {
  if (!ec) return {};
  return ec.message();
}

}  // namespace sio::net::client
