#include "client/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace sio::client {

namespace {
double default_random() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}
}  // namespace

Backoff::Backoff(Params p, Random random) : p_(p), random_(std::move(random)) {
  if (!random_) random_ = default_random;
  p_.jitter = std::clamp(p_.jitter, 0.0, 1.0);
  if (p_.factor < 1.0) p_.factor = 1.0;
  if (p_.max < p_.min) p_.max = p_.min;
}

std::chrono::milliseconds Backoff::next() {
  const double max = static_cast<double>(p_.max.count());
  // Past the cap the exponent no longer matters; bounding it keeps the
  // arithmetic finite however many attempts there were.
  const double exp = std::min<double>(attempts_, 64);
  double ms = static_cast<double>(p_.min.count()) * std::pow(p_.factor, exp);
  ++attempts_;
  if (p_.jitter > 0) {
    const double r = std::clamp(random_(), 0.0, 1.0);
    ms *= 1.0 + p_.jitter * (2.0 * r - 1.0);  // uniform in [ms(1-j), ms(1+j)]
  }
  ms = std::clamp(ms, 0.0, max);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

}  // namespace sio::client
