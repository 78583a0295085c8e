// Operational transformation on plain text, without I/O (the algorithm of
// sio-docs; web/docs/ot.js is its twin in the page, PROTOCOL.md the format).
//
// A document is a sequence of Unicode code points (std::u32string): positions
// and lengths count code points, in C++ and in JS alike (Array.from(text)), so
// an emoji or an accented letter is one position whatever its encoding.
//
// An Operation walks the whole document once: retain n (keep), insert text,
// remove n (delete). Its base length is the document it applies to, its target
// length the document it makes. Operations are kept normalised: no empty
// parts, neighbours of one kind merged, and an insert next to a remove placed
// first, so equal edits compare equal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace docs::ot {

struct Component {
  enum class Kind : unsigned char { retain, insert, remove };
  Kind kind = Kind::retain;
  std::size_t count = 0;  // code points kept / inserted / removed
  std::u32string text;    // insert only

  bool operator==(const Component&) const = default;
};

class Operation {
 public:
  Operation& retain(std::size_t n);
  Operation& insert(std::u32string_view text);
  Operation& remove(std::size_t n);

  const std::vector<Component>& components() const noexcept { return parts_; }
  std::size_t base_length() const noexcept { return base_; }
  std::size_t target_length() const noexcept { return target_; }
  // Changes nothing (only retains, or empty).
  bool is_noop() const noexcept;

  bool operator==(const Operation&) const = default;

 private:
  std::vector<Component> parts_;
  std::size_t base_ = 0;
  std::size_t target_ = 0;
};

// `doc` after `op`; nullopt when op.base_length() != doc.size().
std::optional<std::u32string> apply(std::u32string_view doc, const Operation& op);

// a and b made on the same document: {a', b'} with apply(apply(d, a), b') ==
// apply(apply(d, b), a') (TP1). Where both insert at one position, a's text
// comes first. nullopt when the base lengths differ.
std::optional<std::pair<Operation, Operation>> transform(const Operation& a, const Operation& b);

// One operation doing a then b; nullopt when a.target_length() != b.base_length().
std::optional<Operation> compose(const Operation& a, const Operation& b);

// Where position `index` (a caret) is after `op`: text inserted before it
// moves it right (text inserted exactly at it too, when `past_insert`);
// removed text before it moves it left, into the removed range's start when
// the range held it.
std::size_t transform_index(std::size_t index, const Operation& op, bool past_insert = false);

// UTF-8 <-> code points. from_utf8 returns nullopt on invalid UTF-8.
std::optional<std::u32string> from_utf8(std::string_view s);
std::string to_utf8(std::u32string_view s);

}  // namespace docs::ot
