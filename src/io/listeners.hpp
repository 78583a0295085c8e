// A list of listeners with ids (for off()) and once-listeners, each
// optionally named by the event it listens to. Calls go to a snapshot, so a
// listener may add or remove listeners (or destroy the owner's other lists)
// while it runs; a listener removed during a call is still called in that
// round, as Node's EventEmitter does.
//
// The entries are one vector shared copy-on-write: a call holds the vector it
// started with (a reference count, no copy), and a change made while a call
// holds it copies the vector first. Memory is what matters here (every socket
// has a few lists, most of them empty): an empty list is one null pointer,
// and the first few entries are allocated one at a time, exactly.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sio::io {

template <class Fn>
class ListenerList {
 public:
  void add(std::uint64_t id, Fn fn, bool once = false, std::string name = {}) {
    std::vector<Entry>& v = writable();
    if (v.size() == v.capacity() && v.size() < kExactUpTo) v.reserve(v.size() + 1);
    v.push_back(Entry{std::move(name), std::move(fn), id, once});
  }
  // Removes listener `id`, if it is in the list (and named `name`, if given).
  bool remove(std::uint64_t id, const std::string* name = nullptr) {
    return remove_if([&](const Entry& e) { return e.id == id && (!name || e.name == *name); }, true);
  }
  // Removes every listener named `name`.
  void remove_named(std::string_view name) {
    remove_if([&](const Entry& e) { return e.name == name; }, false);
  }
  void clear() { entries_.reset(); }
  bool empty() const { return !entries_; }
  std::size_t size() const { return entries_ ? entries_->size() : 0; }

  // Calls every listener.
  template <class... A>
  void call(A&... a) {
    call_if([](const Entry&) { return true; }, a...);
  }
  // Calls the listeners named `name`.
  template <class... A>
  void call_named(std::string_view name, A&... a) {
    call_if([name](const Entry& e) { return e.name == name; }, a...);
  }

 private:
  struct Entry {
    std::string name;  // empty in unnamed lists
    Fn fn;
    std::uint64_t id;
    bool once;
  };
  // Up to this many entries, capacity grows by one: no slack for the usual
  // handful of listeners; beyond, the vector's usual doubling.
  static constexpr std::size_t kExactUpTo = 8;

  std::vector<Entry>& writable() {
    if (!entries_) {
      entries_ = std::make_shared<std::vector<Entry>>();
    } else if (entries_.use_count() > 1) {
      // a call is running over this vector: it keeps it, we change a copy
      auto copy = std::make_shared<std::vector<Entry>>();
      copy->reserve(entries_->size() + 1);
      copy->assign(entries_->begin(), entries_->end());
      entries_ = std::move(copy);
    }
    return *entries_;
  }

  template <class P>
  bool remove_if(P pick, bool first_only) {
    if (!entries_) return false;
    auto first = std::find_if(entries_->begin(), entries_->end(), pick);
    if (first == entries_->end()) return false;
    const std::size_t at = static_cast<std::size_t>(first - entries_->begin());
    std::vector<Entry>& v = writable();  // may be a copy: find again by position
    if (first_only) {
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(at));
    } else {
      v.erase(std::remove_if(v.begin() + static_cast<std::ptrdiff_t>(at), v.end(), pick), v.end());
    }
    if (v.empty()) entries_.reset();
    return true;
  }

  template <class P, class... A>
  void call_if(P pick, A&... a) {
    if (!entries_) return;
    const std::shared_ptr<const std::vector<Entry>> snapshot = entries_;
    for (const Entry& e : *snapshot) {
      if (!pick(e)) continue;
      if (e.once) remove(e.id);
      e.fn(a...);
    }
  }

  std::shared_ptr<std::vector<Entry>> entries_;  // null when empty
};

}  // namespace sio::io
