// A client byte stream: TCP, or TLS over TCP. Resolves, connects and (for
// TLS) handshakes with SNI, verifying the peer's certificate chain and host
// name unless told not to. Callback API, no Asio types in this header.
//
// Callbacks run on the loop thread, never from inside the call that started
// the operation. After close() pending operations complete with an error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace boost::asio {
class io_context;
}

namespace sio::net::client {

struct TlsOptions {
  bool verify_peer = true;  // default: verify the certificate chain and the host name
  std::string ca_file;      // PEM file of trusted CAs; empty: the system trust store
};

// An OpenSSL context made once per client from TlsOptions.
class TlsContext {
 public:
  explicit TlsContext(const TlsOptions& opts);  // throws std::system_error on a bad ca_file
  ~TlsContext();
  const TlsOptions& options() const noexcept { return opts_; }
  void* native() noexcept;  // boost::asio::ssl::context*

 private:
  struct Impl;
  TlsOptions opts_;
  std::unique_ptr<Impl> impl_;
};

class Stream {
 public:
  using Done = std::function<void(std::error_code)>;
  // `data` is valid during the call only.
  using ReadDone = std::function<void(std::error_code, std::string_view data)>;

  // `tls` null: plain TCP.
  static std::shared_ptr<Stream> make(boost::asio::io_context& ctx, std::shared_ptr<TlsContext> tls);
  virtual ~Stream() = default;

  virtual void connect(const std::string& host, std::uint16_t port, Done done) = 0;
  // One read at a time.
  virtual void read_some(ReadDone done) = 0;
  // Writes all of `bytes`. One write at a time.
  virtual void write(std::string bytes, Done done) = 0;
  virtual void close() = 0;
  virtual bool is_open() const = 0;
};

// True for the end of the stream (TCP EOF, or TLS closed with or without close_notify).
bool is_eof(const std::error_code& ec);

// Human-readable text for an error of this layer ("certificate verify failed", ...).
std::string describe(const std::error_code& ec);

}  // namespace sio::net::client
