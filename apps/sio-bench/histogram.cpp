#include "histogram.hpp"

#include <algorithm>
#include <bit>

namespace sio::bench {

namespace {
constexpr std::uint64_t kExact = 1ull << Histogram::kSubBits;       // counted one by one
constexpr std::uint64_t kHalf = 1ull << (Histogram::kSubBits - 1);  // buckets per octave above
// Octaves 2^kSubBits .. 2^64: (64 - kSubBits) of them.
constexpr std::size_t kSize = kExact + (64 - Histogram::kSubBits) * kHalf;
}  // namespace

Histogram::Histogram() : counts_(kSize, 0) {}

std::size_t Histogram::index_of(std::uint64_t v) noexcept {
  if (v < kExact) return static_cast<std::size_t>(v);
  const int msb = 63 - std::countl_zero(v);        // >= kSubBits
  const int shift = msb - kSubBits + 1;            // >= 1
  const std::uint64_t sub = (v >> shift) - kHalf;  // 0 .. kHalf-1
  return static_cast<std::size_t>(kExact + static_cast<std::uint64_t>(shift - 1) * kHalf + sub);
}

std::uint64_t Histogram::lower_of(std::size_t i) noexcept {
  if (i < kExact) return i;
  const std::size_t k = i - kExact;
  const int shift = static_cast<int>(k / kHalf) + 1;
  return (kHalf + k % kHalf) << shift;
}

std::uint64_t Histogram::width_of(std::size_t i) noexcept {
  if (i < kExact) return 1;
  return 1ull << ((i - kExact) / kHalf + 1);
}

void Histogram::record(std::uint64_t value) noexcept {
  ++counts_[index_of(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::merge(const Histogram& o) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

void Histogram::reset() noexcept {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = sum_ = max_ = 0;
  min_ = UINT64_MAX;
}

std::uint64_t Histogram::quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the wanted value, 1-based: at least one value is <= it.
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.5);
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::uint64_t mid = lower_of(i) + width_of(i) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

std::vector<Histogram::Bucket> Histogram::buckets() const {
  std::vector<Bucket> out;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i]) out.push_back({lower_of(i) + width_of(i) - 1, counts_[i]});
  return out;
}

}  // namespace sio::bench
