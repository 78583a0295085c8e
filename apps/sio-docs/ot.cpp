#include "ot.hpp"

#include <algorithm>

namespace docs::ot {

using Kind = Component::Kind;

Operation& Operation::retain(std::size_t n) {
  if (n == 0) return *this;
  base_ += n;
  target_ += n;
  if (!parts_.empty() && parts_.back().kind == Kind::retain) {
    parts_.back().count += n;
  } else {
    parts_.push_back({Kind::retain, n, {}});
  }
  return *this;
}

Operation& Operation::insert(std::u32string_view text) {
  if (text.empty()) return *this;
  target_ += text.size();
  // Normal form: insert before remove ("remove 2, insert x" == "insert x, remove 2").
  std::size_t at = parts_.size();
  if (at > 0 && parts_[at - 1].kind == Kind::remove) --at;
  if (at > 0 && parts_[at - 1].kind == Kind::insert) {
    parts_[at - 1].text += text;
    parts_[at - 1].count += text.size();
  } else {
    parts_.insert(parts_.begin() + static_cast<std::ptrdiff_t>(at),
                  Component{Kind::insert, text.size(), std::u32string(text)});
  }
  return *this;
}

Operation& Operation::remove(std::size_t n) {
  if (n == 0) return *this;
  base_ += n;
  if (!parts_.empty() && parts_.back().kind == Kind::remove) {
    parts_.back().count += n;
  } else {
    parts_.push_back({Kind::remove, n, {}});
  }
  return *this;
}

bool Operation::is_noop() const noexcept {
  return std::all_of(parts_.begin(), parts_.end(), [](const Component& c) { return c.kind == Kind::retain; });
}

std::optional<std::u32string> apply(std::u32string_view doc, const Operation& op) {
  if (op.base_length() != doc.size()) return std::nullopt;
  std::u32string out;
  out.reserve(op.target_length());
  std::size_t at = 0;
  for (const auto& c : op.components()) {
    switch (c.kind) {
      case Kind::retain:
        out.append(doc.substr(at, c.count));
        at += c.count;
        break;
      case Kind::insert:
        out += c.text;
        break;
      case Kind::remove:
        at += c.count;
        break;
    }
  }
  return out;
}

namespace {

// Reads an operation's components a piece at a time: take(n) consumes up to n
// code points of the current component.
class Reader {
 public:
  explicit Reader(const Operation& op) : parts_(op.components()) {}

  bool done() const { return i_ == parts_.size(); }
  Kind kind() const { return parts_[i_].kind; }
  std::size_t left() const { return parts_[i_].count - off_; }
  // The next `n` code points (n <= left()); the text when it is an insert.
  std::u32string_view take_text(std::size_t n) {
    std::u32string_view t;
    if (kind() == Kind::insert) t = std::u32string_view(parts_[i_].text).substr(off_, n);
    advance(n);
    return t;
  }
  void advance(std::size_t n) {
    off_ += n;
    if (off_ == parts_[i_].count) {
      ++i_;
      off_ = 0;
    }
  }

 private:
  const std::vector<Component>& parts_;
  std::size_t i_ = 0;
  std::size_t off_ = 0;
};

}  // namespace

std::optional<std::pair<Operation, Operation>> transform(const Operation& a, const Operation& b) {
  if (a.base_length() != b.base_length()) return std::nullopt;
  Operation a2, b2;
  Reader ra(a), rb(b);
  while (!ra.done() || !rb.done()) {
    if (!ra.done() && ra.kind() == Kind::insert) {  // a's inserts first: the tie-break
      std::size_t n = ra.left();
      a2.insert(ra.take_text(n));
      b2.retain(n);
      continue;
    }
    if (!rb.done() && rb.kind() == Kind::insert) {
      std::size_t n = rb.left();
      b2.insert(rb.take_text(n));
      a2.retain(n);
      continue;
    }
    if (ra.done() || rb.done()) return std::nullopt;  // unreachable with equal base lengths
    std::size_t n = std::min(ra.left(), rb.left());
    Kind ka = ra.kind(), kb = rb.kind();
    ra.advance(n);
    rb.advance(n);
    if (ka == Kind::retain && kb == Kind::retain) {
      a2.retain(n);
      b2.retain(n);
    } else if (ka == Kind::remove && kb == Kind::retain) {
      a2.remove(n);
    } else if (ka == Kind::retain && kb == Kind::remove) {
      b2.remove(n);
    }  // both remove the same text: neither needs to any more
  }
  return std::pair{std::move(a2), std::move(b2)};
}

std::optional<Operation> compose(const Operation& a, const Operation& b) {
  if (a.target_length() != b.base_length()) return std::nullopt;
  Operation out;
  Reader ra(a), rb(b);
  while (!ra.done() || !rb.done()) {
    if (!ra.done() && ra.kind() == Kind::remove) {
      std::size_t n = ra.left();
      ra.advance(n);
      out.remove(n);
      continue;
    }
    if (!rb.done() && rb.kind() == Kind::insert) {
      std::size_t n = rb.left();
      out.insert(rb.take_text(n));
      continue;
    }
    if (ra.done() || rb.done()) return std::nullopt;  // unreachable with matching lengths
    std::size_t n = std::min(ra.left(), rb.left());
    Kind ka = ra.kind(), kb = rb.kind();
    std::u32string_view text = ra.take_text(n);
    rb.advance(n);
    if (ka == Kind::retain) {
      if (kb == Kind::retain) out.retain(n);
      else out.remove(n);
    } else if (kb == Kind::retain) {  // a inserted it, b keeps it
      out.insert(text);
    }  // a inserted it, b removed it: nothing
  }
  return out;
}

std::size_t transform_index(std::size_t index, const Operation& op, bool past_insert) {
  std::size_t moved = index;
  std::size_t at = 0;  // position in the document before op
  for (const auto& c : op.components()) {
    if (at > index) break;
    switch (c.kind) {
      case Kind::retain:
        at += c.count;
        break;
      case Kind::insert:
        if (at < index || past_insert) moved += c.count;
        break;
      case Kind::remove:
        moved -= std::min(c.count, index - at);
        at += c.count;
        break;
    }
  }
  return moved;
}

std::optional<std::u32string> from_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    std::size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      len = 4;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

}  // namespace docs::ot
