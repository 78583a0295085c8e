// One server-side TLS connection as plain memory (sans-I/O): ciphertext read
// from the socket goes in, plaintext comes out into the caller's buffer;
// plaintext to send goes in, ciphertext comes out appended to the caller's
// string. The socket stays the caller's, so a connection can move its fd to
// another loop and take the channel along.
//
// The SSL object reads through a BIO of our own that sees only the span the
// current call was given and writes straight into the caller's string: no
// buffer of the channel's own, except ciphertext fed in that did not fit the
// caller's output (kept until the next read, at most what one read fed). With
// SSL_MODE_RELEASE_BUFFERS (net/tls_context.hpp), an idle channel holds only
// the SSL object.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <openssl/types.h>

#include "net/tls_context.hpp"

namespace sio::net {

class TlsChannel {
 public:
  enum class Role : std::uint8_t { server, client };
  // A server channel (waits for the client's hello) on `ctx`; a client one
  // (the load tool's) sends its hello with start().
  explicit TlsChannel(const SslCtxPtr& ctx, Role role = Role::server);
  ~TlsChannel();
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  struct ReadResult {
    std::size_t produced = 0;  // plaintext bytes written to `out`
    bool peer_closed = false;  // the peer's close_notify came: no more data
    std::error_code ec;        // errc::tls_handshake_failed or errc::tls_bad_record: the channel is dead
  };
  // Feeds `in` (ciphertext; may be empty to take what is buffered()) and
  // decrypts into `out` as much as fits. What the TLS engine has to send
  // meanwhile (the handshake's flights, alerts, session tickets) is appended
  // to `send`, and must go out before anything write() appends later.
  ReadResult read(std::string_view in, std::span<char> out, std::string& send);
  // Plaintext or ciphertext is waiting inside: read() with no input yields more.
  bool buffered() const noexcept;

  // Encrypts `plain` (all of it, gathered into records of up to 16 KiB)
  // and appends the records to `send`.
  std::error_code write(std::span<const iovec> plain, std::string& send);
  std::error_code write(std::string_view plain, std::string& send) {
    iovec v{const_cast<char*>(plain.data()), plain.size()};
    return write(std::span<const iovec>(&v, 1), send);
  }
  // Client: appends the ClientHello to `send`.
  void start(std::string& send);
  // Appends our close_notify to `send` (once).
  void close(std::string& send);

  bool handshake_done() const noexcept;
  std::string_view alpn() const noexcept;  // the protocol selected, or empty
  SSL* native() noexcept { return ssl_; }

  // For the BIO (tls_channel.cpp).
  int bio_read(char* dst, int len) noexcept;
  int bio_write(const char* src, int len) noexcept;

 private:
  std::error_code encrypt(const char* p, std::size_t n);

  SSL* ssl_ = nullptr;
  // Set around each call into OpenSSL.
  const char* in_ = nullptr;
  std::size_t in_len_ = 0;
  std::string* send_ = nullptr;
  std::string pending_in_;  // ciphertext fed in and not yet taken (the output was full)
  bool closed_ = false;       // close_notify sent
  bool established_ = false;  // the handshake completed (a failure after it is a bad record)
};

// A socket read's worth of ciphertext (64 KiB, four full records), one per
// thread: connections read into it and keep nothing of it between reads.
std::span<char> tls_cipher_scratch() noexcept;

}  // namespace sio::net
