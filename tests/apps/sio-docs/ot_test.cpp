// The OT algorithm of sio-docs (apps/sio-docs/ot.cpp): fixed cases, then the
// properties with many random seeds: TP1 for transform, compose agrees with
// applying in turn, and code-point positions for non-ASCII text.
#include "ot.hpp"

#include <gtest/gtest.h>

#include "random_ops.hpp"

namespace docs::ot {
namespace {

using test::random_op;
using test::random_text;

constexpr int kSeeds = 3000;

TEST(Ot, BuilderNormalises) {
  Operation a;
  a.retain(2).retain(1).remove(2).insert(U"x").insert(U"y").retain(0);
  Operation b;
  b.retain(3).insert(U"xy").remove(2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.base_length(), 5u);
  EXPECT_EQ(a.target_length(), 5u);
  EXPECT_TRUE(Operation().retain(4).is_noop());
  EXPECT_FALSE(b.is_noop());
}

TEST(Ot, ApplyCountsCodePoints) {
  // "a👋é漢z": the emoji is one position (two UTF-16 units, four UTF-8 bytes).
  std::u32string doc = U"a👋é漢z";
  Operation op;
  op.retain(1).remove(1).retain(1).insert(U"🎉").retain(2);
  EXPECT_EQ(ot::apply(doc, op), U"aé🎉漢z");
  EXPECT_EQ(ot::apply(U"shorter", op), std::nullopt);  // made for 5 code points, not this text
}

TEST(Ot, TransformTieBreakPutsFirstArgumentFirst) {
  Operation a, b;
  a.retain(1).insert(U"A").retain(1);
  b.retain(1).insert(U"B").retain(1);
  auto t = transform(a, b);
  ASSERT_TRUE(t);
  EXPECT_EQ(ot::apply(*ot::apply(U"xy", a), t->second), U"xABy");
  EXPECT_EQ(ot::apply(*ot::apply(U"xy", b), t->first), U"xABy");
  EXPECT_EQ(transform(a, Operation().retain(3)), std::nullopt);
}

TEST(Ot, TransformOverlappingDeletes) {
  Operation a, b;
  a.retain(1).remove(3).retain(1);  // "abcde" -> "ae"
  b.retain(2).remove(3);            // "abcde" -> "ab"
  auto t = transform(a, b);
  ASSERT_TRUE(t);
  EXPECT_EQ(ot::apply(U"ab", t->first), U"a");
  EXPECT_EQ(ot::apply(U"ae", t->second), U"a");
}

TEST(Ot, TransformIndex) {
  Operation op;
  op.retain(2).insert(U"👋👋").retain(1).remove(2).retain(3);  // "abcdefgh" -> "ab👋👋cfgh"
  EXPECT_EQ(transform_index(0, op), 0u);
  EXPECT_EQ(transform_index(2, op), 2u);        // an insert at the caret stays after it
  EXPECT_EQ(transform_index(2, op, true), 4u);  // ...unless asked to move past
  EXPECT_EQ(transform_index(3, op), 5u);
  EXPECT_EQ(transform_index(4, op), 5u);  // in the removed range: to its start
  EXPECT_EQ(transform_index(5, op), 5u);
  EXPECT_EQ(transform_index(8, op), 8u);
}

TEST(Ot, Utf8RoundTripAndRefusals) {
  std::u32string text = U"héllo 👋 漢字 e\u0301";
  EXPECT_EQ(from_utf8(to_utf8(text)), text);
  EXPECT_EQ(to_utf8(U"👋"), "\xF0\x9F\x91\x8B");
  EXPECT_EQ(from_utf8("\xC3"), std::nullopt);              // cut short
  EXPECT_EQ(from_utf8("\xC0\xAF"), std::nullopt);          // overlong
  EXPECT_EQ(from_utf8("\xED\xA0\x80"), std::nullopt);      // a surrogate
  EXPECT_EQ(from_utf8("\xF4\x90\x80\x80"), std::nullopt);  // past U+10FFFF
  EXPECT_EQ(from_utf8("\xFF"), std::nullopt);
}

// TP1: ot::apply(ot::apply(d, a), b') == ot::apply(ot::apply(d, b), a') for random a, b.
TEST(OtProperties, TransformConverges) {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::u32string doc = random_text(rng, 20);
    Operation a = random_op(rng, doc.size());
    Operation b = random_op(rng, doc.size());
    auto t = transform(a, b);
    ASSERT_TRUE(t) << "seed " << seed;
    auto left = ot::apply(*ot::apply(doc, a), t->second);
    auto right = ot::apply(*ot::apply(doc, b), t->first);
    ASSERT_TRUE(left && right) << "seed " << seed;
    ASSERT_EQ(*left, *right) << "seed " << seed;
  }
}

TEST(OtProperties, ComposeIsApplyingInTurn) {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::u32string doc = random_text(rng, 20);
    Operation a = random_op(rng, doc.size());
    std::u32string mid = *ot::apply(doc, a);
    Operation b = random_op(rng, mid.size());
    auto ab = compose(a, b);
    ASSERT_TRUE(ab) << "seed " << seed;
    ASSERT_EQ(ot::apply(doc, *ab), ot::apply(mid, b)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace docs::ot
