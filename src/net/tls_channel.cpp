#include "net/tls_channel.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <sio/error.hpp>

namespace sio::net {

namespace {

// A TLS record's plaintext at most (RFC 8446 section 5.1): writes are
// gathered into records this large.
constexpr std::size_t kRecordPlain = 16384;

TlsChannel* channel_of(BIO* b) { return static_cast<TlsChannel*>(BIO_get_data(b)); }

int span_bio_write(BIO* b, const char* src, int len) {
  BIO_clear_retry_flags(b);
  return channel_of(b)->bio_write(src, len);
}

int span_bio_read(BIO* b, char* dst, int len) {
  BIO_clear_retry_flags(b);
  const int n = channel_of(b)->bio_read(dst, len);
  if (n <= 0) BIO_set_retry_read(b);  // no input now: SSL_ERROR_WANT_READ
  return n <= 0 ? -1 : n;
}

long span_bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;  // writes are never buffered here
}

int span_bio_create(BIO* b) {
  BIO_set_init(b, 1);
  return 1;
}

// One BIO type for every channel, made on first use (thread-safe static).
BIO_METHOD* span_bio_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sio span");
    BIO_meth_set_write(m, span_bio_write);
    BIO_meth_set_read(m, span_bio_read);
    BIO_meth_set_ctrl(m, span_bio_ctrl);
    BIO_meth_set_create(m, span_bio_create);
    return m;
  }();
  return method;
}

}  // namespace

std::span<char> tls_cipher_scratch() noexcept {
  thread_local std::array<char, 65536> scratch;
  return scratch;
}

TlsChannel::TlsChannel(const SslCtxPtr& ctx, Role role) : ssl_(SSL_new(ctx.get())) {
  if (!ssl_) return;  // out of memory: every call fails
  BIO* bio = BIO_new(span_bio_method());
  if (!bio) {
    SSL_free(ssl_);
    ssl_ = nullptr;
    return;
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one reference, owned by the SSL
  if (role == Role::server) SSL_set_accept_state(ssl_);
  else SSL_set_connect_state(ssl_);
}

void TlsChannel::start(std::string& send) {
  if (!ssl_) return;
  send_ = &send;
  SSL_do_handshake(ssl_);  // writes the hello, then wants the server's answer
  ERR_clear_error();
  send_ = nullptr;
}

TlsChannel::~TlsChannel() {
  if (ssl_) SSL_free(ssl_);
}

int TlsChannel::bio_read(char* dst, int len) noexcept {
  const std::size_t n = std::min(in_len_, static_cast<std::size_t>(len));
  if (n == 0) return 0;
  std::memcpy(dst, in_, n);
  in_ += n;
  in_len_ -= n;
  return static_cast<int>(n);
}

int TlsChannel::bio_write(const char* src, int len) noexcept {
  if (!send_) return -1;  // not inside a call (cannot happen: OpenSSL writes only when called)
  send_->append(src, static_cast<std::size_t>(len));
  return len;
}

bool TlsChannel::buffered() const noexcept {
  return !pending_in_.empty() || (ssl_ && SSL_pending(ssl_) > 0);
}

bool TlsChannel::handshake_done() const noexcept { return ssl_ && SSL_is_init_finished(ssl_); }

std::string_view TlsChannel::alpn() const noexcept {
  const unsigned char* p = nullptr;
  unsigned int n = 0;
  if (ssl_) SSL_get0_alpn_selected(ssl_, &p, &n);
  return p ? std::string_view(reinterpret_cast<const char*>(p), n) : std::string_view();
}

TlsChannel::ReadResult TlsChannel::read(std::string_view in, std::span<char> out, std::string& send) {
  ReadResult r;
  if (!ssl_) {
    r.ec = make_error_code(errc::tls_handshake_failed);
    return r;
  }
  // Leftover ciphertext first: the new bytes follow it.
  if (!pending_in_.empty() && !in.empty()) {
    pending_in_.append(in);
    in = {};
  }
  const std::string_view src = pending_in_.empty() ? in : std::string_view(pending_in_);
  in_ = src.data();
  in_len_ = src.size();
  send_ = &send;
  // Only while there is something to take: an SSL_read with no input would
  // set up OpenSSL's read buffer (16 KiB) and keep it while the connection idles.
  while (r.produced < out.size() && (in_len_ > 0 || SSL_pending(ssl_) > 0)) {
    std::size_t n = 0;
    const int ok = SSL_read_ex(ssl_, out.data() + r.produced, out.size() - r.produced, &n);
    established_ = established_ || SSL_is_init_finished(ssl_);
    if (ok == 1) {
      r.produced += n;
      continue;
    }
    const int e = SSL_get_error(ssl_, 0);
    if (e == SSL_ERROR_WANT_READ) break;  // all input taken (a partial record waits inside OpenSSL)
    if (e == SSL_ERROR_ZERO_RETURN) {
      r.peer_closed = true;
    } else {
      r.ec = make_error_code(established_ ? errc::tls_bad_record : errc::tls_handshake_failed);
    }
    ERR_clear_error();  // the thread's error queue must be empty for the next SSL call
    break;
  }
  const std::size_t left = in_len_;
  const char* rest = in_;
  in_ = nullptr;
  in_len_ = 0;
  send_ = nullptr;
  // Nothing waits inside: OpenSSL's record buffers go (SSL_MODE_RELEASE_BUFFERS
  // frees them only after application data, not after the handshake).
  if (!r.ec && left == 0 && SSL_pending(ssl_) == 0) SSL_free_buffers(ssl_);  // refused while a partial record waits
  if (r.ec || r.peer_closed) {
    std::string().swap(pending_in_);
  } else if (!pending_in_.empty()) {
    if (left == 0) std::string().swap(pending_in_);
    else pending_in_.erase(0, pending_in_.size() - left);
  } else if (left) {
    pending_in_.assign(rest, left);  // the output filled up: kept for the next read
  }
  return r;
}

std::error_code TlsChannel::encrypt(const char* p, std::size_t n) {
  while (n) {
    std::size_t w = 0;
    if (SSL_write_ex(ssl_, p, n, &w) != 1) {
      ERR_clear_error();
      return make_error_code(errc::tls_bad_record);
    }
    p += w;
    n -= w;
  }
  return {};
}

std::error_code TlsChannel::write(std::span<const iovec> plain, std::string& send) {
  if (!ssl_ || closed_ || !SSL_is_init_finished(ssl_)) return make_error_code(errc::tls_bad_record);
  // Small pieces (a frame's header, its payload) are gathered into one
  // record rather than one record each.
  thread_local std::array<char, kRecordPlain> scratch;
  std::size_t fill = 0;
  send_ = &send;
  std::error_code ec;
  for (const iovec& v : plain) {
    const char* p = static_cast<const char*>(v.iov_base);
    std::size_t n = v.iov_len;
    while (n && !ec) {
      if (fill == 0 && n >= kRecordPlain) {  // whole records straight from the caller's bytes
        const std::size_t whole = n - n % kRecordPlain;
        ec = encrypt(p, whole);
        p += whole;
        n -= whole;
        continue;
      }
      const std::size_t take = std::min(n, kRecordPlain - fill);
      std::memcpy(scratch.data() + fill, p, take);
      fill += take;
      p += take;
      n -= take;
      if (fill == kRecordPlain) {
        ec = encrypt(scratch.data(), fill);
        fill = 0;
      }
    }
    if (ec) break;
  }
  if (!ec && fill) ec = encrypt(scratch.data(), fill);
  send_ = nullptr;
  return ec;
}

void TlsChannel::close(std::string& send) {
  if (!ssl_ || closed_) return;
  closed_ = true;
  if (!SSL_is_init_finished(ssl_)) return;
  send_ = &send;
  SSL_shutdown(ssl_);
  ERR_clear_error();
  send_ = nullptr;
}

}  // namespace sio::net
