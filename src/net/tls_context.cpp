#include "net/tls_context.hpp"

#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <sio/error.hpp>

namespace sio::net {

namespace {

// The first error OpenSSL queued (the cause, not its consequences), then clears the queue.
std::string openssl_reason() {
  const unsigned long e = ERR_peek_error();
  std::string why;
  if (e && ERR_SYSTEM_ERROR(e)) {
    why = std::strerror(ERR_GET_REASON(e));  // errno: "No such file or directory"
  } else if (e) {
    const char* reason = ERR_reason_error_string(e);
    why = reason ? reason : "error " + std::to_string(ERR_GET_REASON(e));
  } else {
    why = "unknown error";
  }
  ERR_clear_error();
  return why;
}

// ALPN: http/1.1 when the client offers it; a client offering only other
// protocols (or none) goes on without ALPN rather than being refused.
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
                void*) {
  static const unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

SslCtxPtr make_server_ssl_ctx(const TlsOptions& opts, std::error_code& ec, std::string& detail) {
  ERR_clear_error();
  auto fail = [&](const char* what, const std::string& path) {
    ec = make_error_code(errc::tls_bad_file);
    detail = std::string(what) + " file '" + path + "': " + openssl_reason();
    return SslCtxPtr();
  };
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return fail("certificate", opts.cert_file);
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  // Idle connections give their record buffers back (~34 KB each otherwise).
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_alpn_select_cb(c, select_alpn, nullptr);
  if (SSL_CTX_use_certificate_chain_file(c, opts.cert_file.c_str()) != 1) return fail("certificate", opts.cert_file);
  if (SSL_CTX_use_PrivateKey_file(c, opts.key_file.c_str(), SSL_FILETYPE_PEM) != 1) return fail("key", opts.key_file);
  if (SSL_CTX_check_private_key(c) != 1) return fail("key", opts.key_file);
  if (!opts.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(c, opts.client_ca_file.c_str(), nullptr) != 1)
      return fail("client CA", opts.client_ca_file);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(opts.client_ca_file.c_str());
    if (!names) return fail("client CA", opts.client_ca_file);
    SSL_CTX_set_client_CA_list(c, names);  // named in the CertificateRequest
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  ec = {};
  return ctx;
}

TlsContext::TlsContext(TlsOptions opts) : opts_(std::move(opts)) {
  std::error_code ec;
  std::string detail;
  ctx_ = make_server_ssl_ctx(opts_, ec, detail);
  if (!ctx_) throw std::system_error(ec, "TLS: " + detail);
}

SslCtxPtr TlsContext::current() const {
  std::lock_guard lock(mu_);
  return ctx_;
}

std::error_code TlsContext::reload(std::string* detail) {
  std::error_code ec;
  std::string why;
  SslCtxPtr fresh = make_server_ssl_ctx(opts_, ec, why);
  if (!fresh) {
    if (detail) *detail = std::move(why);
    return ec;
  }
  std::lock_guard lock(mu_);
  ctx_ = std::move(fresh);
  return {};
}

}  // namespace sio::net
