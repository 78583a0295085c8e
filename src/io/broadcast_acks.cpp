#include "io/broadcast_acks.hpp"

#include <sio/error.hpp>

namespace sio::io {

std::shared_ptr<BroadcastAcks> BroadcastAcks::start(engine::Loop& home, std::chrono::milliseconds timeout,
                                                    BroadcastAckCallback cb) {
  auto self = std::make_shared<BroadcastAcks>(home, std::move(cb));
  // Posted (or run) first on `home`, so the timer is armed before any report
  // (also posted there) is looked at. The timer holds the gatherer: the
  // sockets that were asked may all drop their part (their own entries expire
  // with the same timeout, possibly first) and the answer must still come.
  home.dispatch([self, timeout] {
    if (self->done_) return;
    self->timer_ = self->home_.start_timer(timeout, [self] {
      self->timer_ = 0;
      self->finish(make_error_code(errc::sio_ack_timeout));
    });
  });
  return self;
}

void BroadcastAcks::server_count(std::size_t n) {
  home_.dispatch([self = shared_from_this(), n] {
    self->expected_servers_ = n;
    self->servers_known_ = true;
    self->check();
  });
}

void BroadcastAcks::client_count(std::size_t n) {
  home_.dispatch([self = shared_from_this(), n] {
    ++self->servers_;
    self->clients_ += n;
    self->check();
  });
}

void BroadcastAcks::reply(Args a) {
  home_.dispatch([self = shared_from_this(), a = std::move(a)]() mutable {
    if (self->done_) return;
    self->replies_.push_back(std::move(a));
    self->check();
  });
}

void BroadcastAcks::check() {
  if (!done_ && servers_known_ && servers_ == expected_servers_ && replies_.size() == clients_) finish({});
}

void BroadcastAcks::finish(std::error_code ec) {
  if (done_) return;
  done_ = true;
  if (timer_) home_.cancel_timer(std::exchange(timer_, 0));
  auto cb = std::move(cb_);
  cb(ec, std::move(replies_));
}

}  // namespace sio::io
