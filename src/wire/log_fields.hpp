// Fields for the log records written on this thread while a LogFields lives
// (net/log_sink.cpp adds them to each line): the library logs through spdlog,
// whose records carry only a message; a LogFields scope puts "sid" and the
// like beside it. An inner scope replaces an outer one while it lives.
//
//   if (spdlog::should_log(spdlog::level::debug)) {
//     wire::LogFields f{{"sid", sid}, {"reason", why}};
//     spdlog::debug("session closed");
//   }
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace sio::wire {

class LogFields {
 public:
  using Field = std::pair<std::string_view, std::string_view>;
  static constexpr std::size_t kMax = 6;  // more are dropped

  LogFields(std::initializer_list<Field> fields) : prev_(current_) {
    size_ = std::min(fields.size(), kMax);
    std::copy_n(fields.begin(), size_, fields_.begin());
    current_ = this;
  }
  LogFields(const LogFields&) = delete;
  LogFields& operator=(const LogFields&) = delete;
  ~LogFields() { current_ = prev_; }

  const Field* begin() const noexcept { return fields_.data(); }
  const Field* end() const noexcept { return fields_.data() + size_; }

  // The scope in force on this thread, or null.
  static const LogFields* current() noexcept { return current_; }

 private:
  std::array<Field, kMax> fields_{};
  std::size_t size_ = 0;
  const LogFields* prev_;
  static inline thread_local const LogFields* current_ = nullptr;
};

}  // namespace sio::wire
