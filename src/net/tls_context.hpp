// The server's TLS configuration as OpenSSL holds it: one SSL_CTX made from
// the certificate chain, its key and, for mutual TLS, the CA that client
// certificates must chain to. Shared by every loop (SSL_new on a shared
// SSL_CTX is thread-safe). reload() builds a new SSL_CTX from the files and
// swaps it in: connections accepted from then on use it, open ones keep the
// one they started with (each SSL holds a reference to its SSL_CTX).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <system_error>

#include <openssl/types.h>

#include <sio/config.hpp>

namespace sio::net {

using SslCtxPtr = std::shared_ptr<SSL_CTX>;

// A server SSL_CTX from `opts`: TLS 1.2 and later, ALPN http/1.1,
// SSL_MODE_RELEASE_BUFFERS (an idle connection holds no record buffers),
// client certificates required when opts.client_ca_file is set. On failure:
// null, with errc::tls_bad_file in `ec` and "<what> file '<path>': <OpenSSL's
// reason>" in `detail`.
SslCtxPtr make_server_ssl_ctx(const TlsOptions& opts, std::error_code& ec, std::string& detail);

class TlsContext {
 public:
  // Throws std::system_error (errc::tls_bad_file) naming the file that failed.
  explicit TlsContext(TlsOptions opts);

  // The SSL_CTX for a new connection.
  SslCtxPtr current() const;
  // Reads the files again; on failure the current SSL_CTX stays and the
  // error is returned (with what failed in `detail`). Thread-safe.
  std::error_code reload(std::string* detail = nullptr);

 private:
  TlsOptions opts_;
  mutable std::mutex mu_;
  SslCtxPtr ctx_;
};

}  // namespace sio::net
