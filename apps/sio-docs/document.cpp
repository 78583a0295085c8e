#include "document.hpp"

namespace docs {

std::string_view code(Refusal r) {
  switch (r) {
    case Refusal::bad_request: return "bad-request";
    case Refusal::bad_op: return "bad-op";
    case Refusal::bad_revision: return "bad-revision";
    case Refusal::stale_revision: return "stale-revision";
    case Refusal::too_large: return "too-large";
    case Refusal::bad_name: return "bad-name";
  }
  return "bad-request";
}

std::string_view message(Refusal r) {
  switch (r) {
    case Refusal::bad_request: return "The request does not have the documented shape.";
    case Refusal::bad_op: return "The edit is malformed or does not fit the document's text.";
    case Refusal::bad_revision: return "The edit names a revision the document has not reached.";
    case Refusal::stale_revision: return "The edit is older than the history kept; reload the document.";
    case Refusal::too_large: return "The edit would make the document larger than allowed.";
    case Refusal::bad_name: return "Names are 1 to 32 characters, without control characters.";
  }
  return "";
}

Document::Document(DocLimits limits) : limits_(limits) {}

std::optional<std::size_t> Document::length_at(std::uint64_t rev) const {
  if (rev == revision_) return text_.size();
  if (rev > revision_ || history_.empty() || rev + 1 < history_.front().number) return std::nullopt;
  // Revision rev+1 was made from revision rev's text.
  return history_[static_cast<std::size_t>(rev + 1 - history_.front().number)].op.base_length();
}

std::variant<Accepted, Refusal> Document::submit(const std::string& client, std::uint64_t seq, std::uint64_t base,
                                                 ot::Operation op) {
  if (auto it = clients_.find(client); it != clients_.end() && seq <= it->second.seq) {
    return Accepted{it->second.revision, nullptr};  // a repeat: answered, not applied again
  }
  if (base > revision_) return Refusal::bad_revision;
  std::optional<std::size_t> length = length_at(base);
  if (!length) return Refusal::stale_revision;
  if (op.base_length() != *length) return Refusal::bad_op;
  if (op.components().size() > limits_.max_components) return Refusal::too_large;
  if (op.target_length() > limits_.max_length) return Refusal::too_large;
  // Past everything applied since `base`; the server's operations came first.
  for (std::size_t i = static_cast<std::size_t>(base - (revision_ - history_.size())); i < history_.size(); ++i) {
    op = ot::transform(op, history_[i].op)->first;
  }
  if (op.target_length() > limits_.max_length) return Refusal::too_large;
  text_ = *ot::apply(text_, op);
  ++revision_;
  history_.push_back({revision_, std::move(op), client, seq});
  if (history_.size() > limits_.history) history_.pop_front();
  remember(client, seq);
  return Accepted{revision_, &history_.back()};
}

void Document::remember(const std::string& client, std::uint64_t seq) {
  auto it = clients_.find(client);
  if (it != clients_.end()) {
    lru_.erase(it->second.lru);
  } else {
    if (clients_.size() >= limits_.clients) {
      clients_.erase(lru_.back());
      lru_.pop_back();
    }
    it = clients_.emplace(client, Sent{}).first;
  }
  lru_.push_front(client);
  it->second = Sent{seq, revision_, lru_.begin()};
}

std::optional<std::vector<const Revision*>> Document::since(std::uint64_t since) const {
  if (!length_at(since)) return std::nullopt;
  std::vector<const Revision*> out;
  for (std::size_t i = static_cast<std::size_t>(since - (revision_ - history_.size())); i < history_.size(); ++i) {
    out.push_back(&history_[i]);
  }
  return out;
}

std::optional<std::size_t> Document::transform_index(std::uint64_t rev, std::size_t index) const {
  std::optional<std::size_t> length = length_at(rev);
  if (!length || index > *length) return std::nullopt;
  for (std::size_t i = static_cast<std::size_t>(rev - (revision_ - history_.size())); i < history_.size(); ++i) {
    index = ot::transform_index(index, history_[i].op);
  }
  return index;
}

std::uint64_t Document::last_seq(const std::string& client) const {
  auto it = clients_.find(client);
  return it == clients_.end() ? 0 : it->second.seq;
}

}  // namespace docs
