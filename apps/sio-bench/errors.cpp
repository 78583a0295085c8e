#include "errors.hpp"

namespace sio::bench {

std::string_view name_of(ErrorKind k) noexcept {
  switch (k) {
    case ErrorKind::refused: return "refused";
    case ErrorKind::closed: return "closed";
    case ErrorKind::protocol: return "protocol";
    case ErrorKind::timeout: return "timeout";
  }
  return "?";
}

void ErrorCounts::add(ErrorKind k, std::string_view detail) {
  const auto i = static_cast<std::size_t>(k);
  if (counts_[i]++ == 0) examples_[i] = std::string(detail.substr(0, 200));
}

std::uint64_t ErrorCounts::total() const noexcept {
  std::uint64_t t = 0;
  for (auto c : counts_) t += c;
  return t;
}

void ErrorCounts::merge(const ErrorCounts& o) {
  for (std::size_t i = 0; i < kErrorKinds; ++i) {
    if (counts_[i] == 0 && o.counts_[i]) examples_[i] = o.examples_[i];
    counts_[i] += o.counts_[i];
  }
}

}  // namespace sio::bench
