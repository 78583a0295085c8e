#include "net/redis/resp_connection.hpp"

#include <cstdlib>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#include <sio/error.hpp>

namespace sio::net::redis {

namespace {

// Read granularity: pub/sub payloads are small; larger ones take several reads.
constexpr std::size_t kReadChunk = 16 * 1024;

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING: out.type = Reply::Type::string; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_STATUS: out.type = Reply::Type::status; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_ERROR: out.type = Reply::Type::error; out.str.assign(r->str, r->len); break;
    case REDIS_REPLY_INTEGER: out.type = Reply::Type::integer; out.integer = r->integer; break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default: out.type = Reply::Type::nil; break;
  }
  return out;
}

}  // namespace

RespConnection::RespConnection(asio::io_context& ctx, bool subscriber, Callbacks callbacks)
    : socket_(ctx), resolver_(ctx), subscriber_(subscriber), callbacks_(std::move(callbacks)),
      reader_(redisReaderCreate()) {}

RespConnection::~RespConnection() { redisReaderFree(reader_); }

void RespConnection::connect(const std::string& host, std::uint16_t port, std::function<void(std::error_code)> done) {
  auto self = shared_from_this();
  resolver_.async_resolve(host, std::to_string(port), [this, self, done](std::error_code ec, auto results) {
    if (closed_) return done(make_error_code(errc::operation_aborted));
    if (ec) return done(ec);
    asio::async_connect(socket_, results, [this, self, done](std::error_code ec, const auto&) {
      if (closed_) return done(make_error_code(errc::operation_aborted));
      if (ec) return done(ec);
      boost::system::error_code ignored;
      socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
      open_ = true;
      read();
      write();
      done({});
    });
  });
}

void RespConnection::command(const std::vector<std::string>& args, ReplyHandler done) {
  if (closed_) {  // nothing will ever answer
    if (done) done(make_error_code(errc::closed), {});
    return;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  char* cmd = nullptr;
  const int n = redisFormatCommandArgv(&cmd, static_cast<int>(args.size()), argv.data(), lens.data());
  if (n < 0) {
    if (done) done(make_error_code(errc::operation_aborted), {});
    return;
  }
  out_.emplace_back(cmd, static_cast<std::size_t>(n));
  redisFreeCommand(cmd);
  if (!subscriber_) waiting_.push_back(std::move(done));
  write();
}

void RespConnection::write() {
  if (!open_ || writing_ || out_.empty()) return;
  writing_ = true;
  auto self = shared_from_this();
  asio::async_write(socket_, asio::buffer(out_.front()), [this, self](std::error_code ec, std::size_t) {
    writing_ = false;
    if (closed_) return;
    if (ec) return fail(ec);
    out_.pop_front();
    write();
  });
}

void RespConnection::read() {
  in_.resize(kReadChunk);
  auto self = shared_from_this();
  socket_.async_read_some(asio::buffer(in_), [this, self](std::error_code ec, std::size_t n) {
    if (closed_) return;
    if (ec) return fail(ec);
    if (redisReaderFeed(reader_, in_.data(), n) != REDIS_OK) return fail(make_error_code(errc::cluster_bad_message));
    for (;;) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader_, &raw) != REDIS_OK) return fail(make_error_code(errc::cluster_bad_message));
      if (!raw) break;
      Reply r = convert(static_cast<redisReply*>(raw));
      freeReplyObject(raw);
      on_reply(std::move(r));
      if (closed_) return;
    }
    read();
  });
}

void RespConnection::on_reply(Reply r) {
  if (subscriber_) {
    if (callbacks_.push) callbacks_.push(std::move(r));
    return;
  }
  if (waiting_.empty()) return fail(make_error_code(errc::cluster_bad_message));  // a reply nobody asked for
  ReplyHandler h = std::move(waiting_.front());
  waiting_.pop_front();
  if (h) h({}, std::move(r));
}

void RespConnection::fail(std::error_code ec) {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  boost::system::error_code ignored;
  socket_.close(ignored);
  auto waiting = std::move(waiting_);
  for (auto& h : waiting)
    if (h) h(ec, {});
  if (callbacks_.closed) callbacks_.closed(ec);
}

void RespConnection::close() {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  boost::system::error_code ignored;
  resolver_.cancel();
  socket_.close(ignored);
  auto waiting = std::move(waiting_);
  for (auto& h : waiting)
    if (h) h(make_error_code(errc::operation_aborted), {});
}

}  // namespace sio::net::redis
