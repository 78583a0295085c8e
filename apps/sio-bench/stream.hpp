// One TCP connection of the load tool.
//  - Reads go into the connection's own small buffer with async_read_some:
//    Asio's reactor then reads as soon as epoll reports data and re-arms
//    nothing (a wait-then-read design costs one epoll_ctl per read, a
//    third more system calls per event on the tool's side). The buffer
//    exists only while the connection is open; the handler consumes what it
//    can and the rest (a partial frame header) stays at its front.
//  - Writes are tried at once without waiting; what the kernel does not take
//    stays queued until the socket is writable. Writes made while the handler
//    processes a read go out together after it returns (one send per read).
//  - With TLS (https:// URLs): ciphertext is read into the thread's scratch
//    when the socket turns readable and decrypted into the read buffer; the
//    writes of one handler call are encrypted together. The handler hears
//    on_connected once the handshake is done. The certificate is not checked
//    (a load tool).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "net/tls_channel.hpp"

namespace sio::bench {

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void on_connected(Stream& s) = 0;
    // `data`: bytes left unconsumed last time, then the new ones. Returns how
    // many were consumed; the rest are offered again with the next bytes.
    virtual std::size_t on_data(Stream& s, std::span<char> data) = 0;
    // The connection failed to open, ended (orderly: `ec` empty) or broke.
    // Not called after close().
    virtual void on_closed(Stream& s, std::error_code ec) = 0;
  };

  // Read buffer size: a few messages of the sizes load tests use; a read that
  // fills it is followed at once by another.
  static constexpr std::size_t kReadBuffer = 4096;

  Stream(boost::asio::io_context& io, Handler* h) : socket_(io), handler_(h) {}

  // `no_delay`: TCP_NODELAY, for streams of small messages (WebSocket); an
  // HTTP exchange writes each request whole and gains nothing from it.
  // `tls`: a client SSL_CTX for TLS, or none.
  void connect(const boost::asio::ip::tcp::endpoint& ep, bool no_delay, const net::SslCtxPtr& tls = {});
  // Queues bytes; sent at once, or after the read being handled.
  void write(std::string_view bytes);
  // Closes the socket; the handler hears nothing more. `abortive`: reset
  // (SO_LINGER 0) instead of FIN, so no TIME_WAIT is left on our side.
  void close(bool abortive = false);

  bool connected() const noexcept { return connected_; }

 private:
  void read();
  void on_read(std::size_t n);
  // Hands the buffer to the handler; false when the stream closed meanwhile.
  bool deliver(std::size_t n);
  void flush();
  void wait_writable();
  void broken(boost::system::error_code ec);
  void on_tls_readable();
  void announce_connected();

  boost::asio::ip::tcp::socket socket_;
  Handler* handler_;
  std::unique_ptr<char[]> in_;  // kReadBuffer bytes while connected
  std::size_t kept_ = 0;        // unconsumed bytes at the front of in_
  std::string out_;             // queued output
  std::size_t out_off_ = 0;
  bool connected_ = false;
  bool in_read_ = false;        // inside handler_->on_data: writes wait for its end
  bool waiting_write_ = false;
  std::unique_ptr<net::TlsChannel> tls_;  // with TLS
  std::string plain_;                     // TLS: written and not yet encrypted
}; 

}  // namespace sio::bench
