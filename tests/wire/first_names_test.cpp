// wire::mark_first_names (a request's repeated header names): right answer,
// and a number of name comparisons that grows as n log n. Counting them is
// the deterministic measure of what cost ~25 ms of CPU per request when each
// name was compared with every earlier one (3,000 distinct names: 4.5 million
// comparisons; now under 3,000 * 12 * 4).
#include "wire/first_names.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sio/http_request.hpp>

namespace {

struct CountingCompare {
  std::size_t* calls;
  int operator()(std::string_view a, std::string_view b) const {
    ++*calls;
    return a.compare(b);
  }
};

std::vector<std::string> distinct_names(std::size_t n) {
  static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({alphabet[i % 36], alphabet[i / 36 % 36], alphabet[i / 1296 % 36]});
  return out;
}

}  // namespace

TEST(FirstNames, KeepsTheFirstOfEachName) {
  const std::vector<std::string_view> names{"host", "origin", "x", "origin", "host", "y", "x"};
  std::vector<char> keep;
  sio::wire::mark_first_names(names, keep);
  EXPECT_EQ(keep, (std::vector<char>{1, 1, 1, 0, 0, 1, 0}));
  sio::wire::mark_first_names({}, keep);
  EXPECT_TRUE(keep.empty());
}

TEST(FirstNames, ComparisonsGrowAsNLogN) {
  for (const std::size_t n : {100u, 3000u, 20000u}) {
    const std::vector<std::string> owned = distinct_names(n);
    std::vector<std::string_view> names(owned.begin(), owned.end());
    for (const bool repeated : {false, true}) {
      if (repeated) names.assign(n, "same");
      std::size_t calls = 0;
      std::vector<char> keep;
      sio::wire::mark_first_names(names, keep, CountingCompare{&calls});
      const double bound = 4.0 * static_cast<double>(n) * std::log2(static_cast<double>(n));
      EXPECT_LT(static_cast<double>(calls), bound) << n << (repeated ? " repeated" : " distinct") << " names";
      std::size_t kept = 0;
      for (const char k : keep) kept += k;
      EXPECT_EQ(kept, repeated ? 1u : n);
    }
  }
}

TEST(FirstNames, TheBuilderKeepsThousandsOfHeadersInOrder) {
  const std::vector<std::string> names = distinct_names(3000);
  sio::HttpRequest::Builder b;
  for (std::size_t i = 0; i < names.size(); ++i) b.header(names[i], std::to_string(i));
  for (std::size_t i = 0; i < names.size(); ++i) b.header(names[i], "again");  // repeats: first wins
  const sio::HttpRequest r = b.build();
  std::size_t i = 0;
  for (auto [name, value] : r.headers()) {
    ASSERT_LT(i, names.size());
    EXPECT_EQ(name, names[i]);
    EXPECT_EQ(value, std::to_string(i));
    ++i;
  }
  EXPECT_EQ(i, names.size());
}

TEST(FirstNames, TheBuilderAgreesWithTheNaiveRuleAtAnyCount) {
  // Up to 16 fields the builder compares each with the earlier ones, past
  // that it sorts: both must keep the first value of each name, in order.
  for (std::size_t n = 0; n <= 40; ++n) {
    sio::HttpRequest::Builder b;
    std::vector<std::pair<std::string, std::string>> want;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string name = "h" + std::to_string(i * 7 % 11);  // repeats every few fields
      const std::string value = std::to_string(i);
      b.header(i % 2 ? name : "H" + name.substr(1), value);
      bool seen = false;
      for (const auto& w : want) seen |= w.first == name;
      if (!seen) want.emplace_back(name, value);
    }
    const sio::HttpRequest r = b.build();
    std::vector<std::pair<std::string, std::string>> got;
    for (auto [k, v] : r.headers()) got.emplace_back(k, v);
    EXPECT_EQ(got, want) << n << " fields";
  }
}
