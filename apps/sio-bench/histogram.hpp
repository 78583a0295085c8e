// A log-linear latency histogram in the manner of HdrHistogram: values below
// 2^kSubBits are counted exactly, and every power-of-two range above is split
// into 2^(kSubBits-1) equal buckets, so any recorded value is known within
// 1/128 (0.8 %) of itself. Recording is an index computation and an
// increment: cheap enough for every event of a load test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sio::bench {

class Histogram {
 public:
  static constexpr int kSubBits = 8;  // 0.8 % relative precision

  Histogram();

  void record(std::uint64_t value) noexcept;
  void merge(const Histogram& other) noexcept;
  void reset() noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  std::uint64_t max() const noexcept { return max_; }
  double mean() const noexcept { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  // The value below which `q` (0..1) of the recorded values lie, as the
  // middle of its bucket (exact below 2^kSubBits), clamped to [min, max].
  std::uint64_t quantile(double q) const noexcept;

  // Non-empty buckets in ascending order: (highest value in bucket, count).
  struct Bucket {
    std::uint64_t upper;
    std::uint64_t count;
  };
  std::vector<Bucket> buckets() const;

 private:
  static std::size_t index_of(std::uint64_t v) noexcept;
  static std::uint64_t lower_of(std::size_t i) noexcept;
  static std::uint64_t width_of(std::size_t i) noexcept;

  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace sio::bench
