#include "stream.hpp"

#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/socket_base.hpp>

namespace sio::bench {

namespace asio = boost::asio;

namespace {
// The thread's read buffer: every stream reads into it, one at a time.
constexpr std::size_t kReadBuffer = 256 * 1024;
std::vector<char>& read_buffer() {
  thread_local std::vector<char> buf(kReadBuffer);
  return buf;
}
}  // namespace

void Stream::connect(const asio::ip::tcp::endpoint& ep) {
  socket_.async_connect(ep, [self = shared_from_this()](boost::system::error_code ec) {
    if (!self->handler_) return;
    if (ec) return self->broken(ec);
    boost::system::error_code ignored;
    self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    self->socket_.non_blocking(true, ignored);
    self->connected_ = true;
    self->handler_->on_connected(*self);
    if (!self->handler_) return;
    self->flush();
    self->wait_readable();
  });
}

void Stream::write(std::string_view bytes) {
  out_.append(bytes);
  if (!in_read_) flush();
}

void Stream::close(bool abortive) {
  handler_ = nullptr;
  boost::system::error_code ignored;
  if (abortive && socket_.is_open()) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
  connected_ = false;
  std::string().swap(out_);
  std::string().swap(partial_);
}

void Stream::broken(boost::system::error_code ec) {
  Handler* h = handler_;
  close();
  // The handler sees an empty code for an orderly end (EOF).
  if (h) h->on_closed(*this, ec == asio::error::eof ? std::error_code() : std::error_code(ec));
}

void Stream::wait_readable() {
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
    if (!self->handler_) return;
    if (ec) return self->broken(ec);
    self->on_readable();
  });
}

void Stream::on_readable() {
  std::vector<char>& buf = read_buffer();
  for (;;) {
    const std::size_t kept = partial_.size();
    if (kept) partial_.copy(buf.data(), kept);
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(buf.data() + kept, buf.size() - kept), ec);
    if (ec == asio::error::would_block) break;
    if (ec) return broken(ec);
    const std::size_t total = kept + n;
    in_read_ = true;
    const std::size_t used = handler_->on_data(*this, std::span<char>(buf.data(), total));
    in_read_ = false;
    if (!handler_) return;  // closed by the handler
    partial_.assign(buf.data() + used, total - used);
    flush();
    if (!handler_) return;
    // A short read emptied the socket (the reactor reports new data anew).
    if (kept + n < buf.size()) break;
  }
  wait_readable();
}

void Stream::flush() {
  if (waiting_write_ || !connected_) return;
  while (out_off_ < out_.size()) {
    boost::system::error_code ec;
    const std::size_t n = socket_.write_some(asio::buffer(out_.data() + out_off_, out_.size() - out_off_), ec);
    if (ec == asio::error::would_block) return wait_writable();
    if (ec) return broken(ec);
    out_off_ += n;
  }
  out_.clear();
  out_off_ = 0;
}

void Stream::wait_writable() {
  waiting_write_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write, [self = shared_from_this()](boost::system::error_code ec) {
    self->waiting_write_ = false;
    if (!self->handler_) return;
    if (ec) return self->broken(ec);
    self->flush();
  });
}

}  // namespace sio::bench
