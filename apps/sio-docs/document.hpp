// The shared document on the server, without I/O: the text, its revision, the
// operations that made the latest revisions, and who sent what.
//
// The server orders operations. A client sends an operation made on revision
// `base` (the latest it has seen); the document transforms it past every
// operation applied since (ot::transform), applies it, and it becomes revision
// revision()+1 for everyone. Each operation carries its client's id and a
// sequence number: a repeat (a page re-sending after a reconnection what the
// server already had) is recognised and not applied twice.
// Not thread-safe: the caller serialises calls.
#pragma once

#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "ot.hpp"

namespace docs {

// Why a request was refused (PROTOCOL.md, "Errors").
enum class Refusal {
  bad_request,     // not the documented shape
  bad_op,          // malformed operation, or one not made on that revision's text
  bad_revision,    // a revision the server has not reached
  stale_revision,  // older than the history kept: reload the document
  too_large,       // the operation or the document would exceed the limits
  bad_name,        // a name empty, too long, or with control characters
};
std::string_view code(Refusal r);
std::string_view message(Refusal r);

struct DocLimits {
  std::size_t max_length = 100000;     // code points in the document (--max-length)
  std::size_t history = 1000;          // operations kept to transform late ones and catch up (--history)
  std::size_t max_components = 10000; // retain/insert/delete parts in one operation
  std::size_t clients = 10000;         // client ids remembered to recognise repeats
};

// One applied operation: it turned revision `number - 1` into `number`.
struct Revision {
  std::uint64_t number = 0;
  ot::Operation op;  // as applied (transformed)
  std::string client;
  std::uint64_t seq = 0;
};

struct Accepted {
  std::uint64_t revision = 0;    // the revision this operation made
  const Revision* applied = nullptr;  // null for a repeat (already applied)
};

class Document {
 public:
  explicit Document(DocLimits limits = {});

  std::variant<Accepted, Refusal> submit(const std::string& client, std::uint64_t seq, std::uint64_t base,
                                         ot::Operation op);

  // The operations after revision `since`, oldest first; nullopt when some are
  // no longer kept or `since` is ahead of the document.
  std::optional<std::vector<const Revision*>> since(std::uint64_t since) const;

  // A caret at `index` in revision `rev`, moved to the current text; nullopt
  // when that revision is not kept or the index is past its end.
  std::optional<std::size_t> transform_index(std::uint64_t rev, std::size_t index) const;

  // The highest sequence number applied for `client` (0: none remembered).
  std::uint64_t last_seq(const std::string& client) const;

  const std::u32string& text() const noexcept { return text_; }
  std::uint64_t revision() const noexcept { return revision_; }
  const DocLimits& limits() const noexcept { return limits_; }

 private:
  struct Sent {
    std::uint64_t seq = 0;       // last applied
    std::uint64_t revision = 0;  // the revision it made
    std::list<std::string>::iterator lru;
  };
  // Text length at revision `rev` (kept in the history or current), or nullopt.
  std::optional<std::size_t> length_at(std::uint64_t rev) const;
  void remember(const std::string& client, std::uint64_t seq);

  DocLimits limits_;
  std::u32string text_;
  std::uint64_t revision_ = 0;
  std::deque<Revision> history_;  // the last limits_.history revisions, oldest first
  std::unordered_map<std::string, Sent> clients_;
  std::list<std::string> lru_;  // client ids, most recently heard first
};

}  // namespace docs
