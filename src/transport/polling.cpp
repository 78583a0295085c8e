#include "transport/polling.hpp"

#include "wire/eio3_payload.hpp"
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

bool Polling::has_binary() const noexcept {
  for (const auto& m : queue_)
    if (m.binary) return true;
  return false;
}

bool Polling::compressible() const noexcept {
  for (const auto& m : queue_)
    if (m.compress) return true;
  return false;
}

std::string Polling::take_payload(PayloadFormat format) {
  std::string body;
  body.reserve(bytes_ + queue_.size() * 2);
  switch (format) {
    case PayloadFormat::v4:
      for (const auto& m : queue_) wire::eio::append_polling(body, m.bytes.view(), m.binary);
      break;
    case PayloadFormat::v3_text:
      for (const auto& m : queue_) wire::eio3::append_text_item(body, m.bytes.view(), m.binary);
      break;
    case PayloadFormat::v3_binary:
      for (const auto& m : queue_) wire::eio3::append_binary_item(body, m.bytes.view(), m.binary);
      break;
  }
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
