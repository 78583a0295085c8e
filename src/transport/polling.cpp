#include "transport/polling.hpp"

#include "wire/eio_packet.hpp"

namespace sio::transport {

bool Polling::push(const engine::OutMessage& m) {
  bytes_ += m.bytes.size();
  if (bytes_ > max_buffered_) {
    queue_.clear();
    queue_.shrink_to_fit();
    bytes_ = 0;
    return false;
  }
  queue_.push_back(m);
  return true;
}

std::string Polling::take_payload() {
  std::string body;
  body.reserve(bytes_ + queue_.size() * 2);
  for (const auto& m : queue_) wire::eio::append_polling(body, m.bytes.view(), m.binary);
  queue_.clear();
  if (queue_.capacity() > 16) queue_.shrink_to_fit();
  bytes_ = 0;
  get_pending_ = false;
  return body;
}

std::vector<engine::OutMessage> Polling::take_queue() {
  bytes_ = 0;
  return std::exchange(queue_, {});
}

}  // namespace sio::transport
