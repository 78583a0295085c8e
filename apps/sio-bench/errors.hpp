// Every failure a load run meets is counted under one of a few kinds and
// shown in every report; the first message of each kind is kept as an
// example. Nothing is retried silently except what HTTP clients retry too (a
// request on a reused keep-alive connection that the server had closed).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sio::bench {

enum class ErrorKind : std::uint8_t {
  refused,   // TCP connect failed
  closed,    // the server closed or reset a connection we were using
  protocol,  // a response or packet we cannot accept (bad status, bad packet, wrong echo)
  timeout,   // a handshake or join that did not complete in time
};
inline constexpr std::size_t kErrorKinds = 4;

std::string_view name_of(ErrorKind k) noexcept;

class ErrorCounts {
 public:
  void add(ErrorKind k, std::string_view detail);
  std::uint64_t count(ErrorKind k) const noexcept { return counts_[static_cast<std::size_t>(k)]; }
  std::uint64_t total() const noexcept;
  const std::string& example(ErrorKind k) const noexcept { return examples_[static_cast<std::size_t>(k)]; }
  void merge(const ErrorCounts& o);

 private:
  std::array<std::uint64_t, kErrorKinds> counts_{};
  std::array<std::string, kErrorKinds> examples_;
};

}  // namespace sio::bench
