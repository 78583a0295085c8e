// HttpConnection's byte stream: the accepted TCP socket, read and written
// straight, or through a TlsChannel when the server speaks TLS. It models
// Asio's AsyncReadStream (for Beast's parser reads); without TLS every call
// is the socket's own, inline (no copy, no allocation of its own).
//
// With TLS: reads wait for the socket to turn readable, take what it holds
// into a per-thread scratch buffer and decrypt it into the caller's buffer;
// the handshake runs inside those reads. Ciphertext to send (the handshake's
// flights, responses) is written at once without waiting, and only what the
// kernel does not take waits for room; a connection holds no buffer once its
// bytes are out.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "net/tls_channel.hpp"

namespace sio::net {

class ConnStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  explicit ConnStream(boost::asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  // From now on the stream speaks TLS through `channel`.
  void use_tls(std::unique_ptr<TlsChannel> channel);

  executor_type get_executor() { return socket_.get_executor(); }
  boost::asio::ip::tcp::socket& socket() noexcept { return socket_; }
  bool tls() const noexcept { return tls_ != nullptr; }
  // Decrypted bytes (or ciphertext) wait inside: the next read needs no socket read.
  bool buffered() const noexcept { return tls_ && tls_->channel->buffered(); }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (!tls_) return socket_.async_read_some(buffers, std::forward<Handler>(handler));
    const boost::asio::mutable_buffer b = *boost::asio::buffer_sequence_begin(buffers);
    TlsRead<std::decay_t<Handler>>{tls_, &socket_, b, std::forward<Handler>(handler)}.step(true);
  }

  // Writes all of `data` (it must live until the handler runs), then
  // handler(error_code, std::size_t). One write at a time.
  template <class Handler>
  void async_write(std::string_view data, Handler&& handler) {
    if (!tls_) {
      boost::asio::async_write(socket_, boost::asio::buffer(data.data(), data.size()), std::forward<Handler>(handler));
      return;
    }
    tls_write(data, std::function<void(boost::system::error_code, std::size_t)>(std::forward<Handler>(handler)));
  }

  // TLS: reads what the socket holds now (no waiting) and decrypts it into
  // `out`. `ec`: eof for the peer's end (FIN or close_notify), another error
  // for a failure; `again`: nothing more to read now.
  struct ReadNow {
    std::size_t n = 0;
    boost::system::error_code ec;
    bool again = false;
  };
  ReadNow read_now(boost::asio::mutable_buffer out);
  // TLS: sends our close_notify (best effort: what the kernel takes now).
  void close_notify();
  // TLS: gives the channel up (a WebSocket upgrade takes it along). False
  // when ciphertext is still waiting to be written (the stream would break).
  bool release_tls(std::unique_ptr<TlsChannel>& out);

 private:
  struct TlsState {
    std::unique_ptr<TlsChannel> channel;
    std::string out;         // ciphertext not yet written
    bool waiting = false;    // for room in the socket
    std::size_t user_left = 0;  // bytes of `out` that end the caller's pending write
    std::function<void(boost::system::error_code, std::size_t)> write_done;
  };
  using StatePtr = std::shared_ptr<TlsState>;

  // Writes `st->out` now, as far as the kernel takes it; waits for room for the rest.
  static void pump(const StatePtr& st, boost::asio::ip::tcp::socket& socket);
  static void written(TlsState& st, std::size_t n, boost::asio::ip::tcp::socket& socket);
  static void fail_write(TlsState& st, boost::system::error_code ec, boost::asio::ip::tcp::socket& socket);
  void tls_write(std::string_view data, std::function<void(boost::system::error_code, std::size_t)> done);
  static boost::system::error_code tls_failure();

  template <class Handler>
  struct TlsRead {
    StatePtr st;
    boost::asio::ip::tcp::socket* socket;
    boost::asio::mutable_buffer out;
    Handler handler;

    void operator()(boost::system::error_code ec) {  // the socket turned readable
      if (ec) return complete(ec, 0, false);
      step(false);
    }

    void step(bool initiating) {
      const std::span<char> scratch = tls_cipher_scratch();
      for (;;) {
        std::string_view in;
        if (!st->channel->buffered()) {
          const ssize_t got = ::recv(socket->native_handle(), scratch.data(), scratch.size(), MSG_DONTWAIT);
          if (got < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
              auto& s = *socket;
              s.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(*this));
              return;
            }
            return complete({errno, boost::system::system_category()}, 0, initiating);
          }
          if (got == 0) return complete(boost::asio::error::eof, 0, initiating);
          in = {scratch.data(), static_cast<std::size_t>(got)};
        }
        const auto r = st->channel->read(in, {static_cast<char*>(out.data()), out.size()}, st->out);
        if (!st->out.empty()) pump(st, *socket);
        if (r.produced) return complete({}, r.produced, initiating);
        if (r.ec) return complete(tls_failure(), 0, initiating);
        if (r.peer_closed) return complete(boost::asio::error::eof, 0, initiating);
        if (out.size() == 0) return complete({}, 0, initiating);
      }
    }

    void complete(boost::system::error_code ec, std::size_t n, bool initiating) {
      if (!initiating) return handler(ec, n);
      // Not from inside the call that started the read.
      auto ex = socket->get_executor();
      boost::asio::post(ex, [h = std::move(handler), ec, n]() mutable { h(ec, n); });
    }
  };

  boost::asio::ip::tcp::socket socket_;
  StatePtr tls_;  // shared with the pending writes, which may outlive the stream
};

}  // namespace sio::net
