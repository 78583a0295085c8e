// A list of listeners with ids (for off()) and once-listeners, each
// optionally named by the event it listens to. Calls go to a snapshot, so a
// listener may add or remove listeners (or destroy the owner's other lists)
// while it runs; a listener removed during a call is still called in that
// round, as Node's EventEmitter does.
//
// The entries live in one block shared copy-on-write: a call holds the block
// it started with (a reference count, no copy), and a change made while a call
// holds it copies the block first. Memory is what matters here (every socket
// has a few lists, most of them empty): an empty list is one null pointer, a
// list is one allocation (count, size and entries together), and the first
// few entries grow it one at a time, exactly. The count is not atomic: a list
// is used on its socket's loop only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace sio::io {

template <class Fn>
class ListenerList {
 public:
  ListenerList() = default;
  ListenerList(const ListenerList&) = delete;
  ListenerList& operator=(const ListenerList&) = delete;
  ~ListenerList() { release(block_); }

  void add(std::uint64_t id, Fn fn, bool once = false, std::string name = {}) {
    const std::size_t n = size();
    Block* b = writable(n + 1);
    new (b->at(n)) Entry{std::move(name), std::move(fn), id, once};
    ++b->size;
  }
  // Removes listener `id`, if it is in the list (and named `name`, if given).
  bool remove(std::uint64_t id, const std::string* name = nullptr) {
    return remove_if([&](const Entry& e) { return e.id == id && (!name || e.name == *name); }, true);
  }
  // Removes every listener named `name`.
  void remove_named(std::string_view name) {
    remove_if([&](const Entry& e) { return e.name == name; }, false);
  }
  void clear() { release(std::exchange(block_, nullptr)); }
  bool empty() const { return !block_; }
  std::size_t size() const { return block_ ? block_->size : 0; }

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
  // Followed in memory by `capacity` entries, `size` of them constructed.
  struct Block {
    std::size_t refs;
    std::uint32_t size;
    std::uint32_t capacity;
    Entry* at(std::size_t i) { return reinterpret_cast<Entry*>(this + 1) + i; }
  };
  static_assert(sizeof(Block) % alignof(Entry) == 0);
  // Up to this many entries, capacity grows by one: no slack for the usual
  // handful of listeners; beyond, it doubles.
  static constexpr std::size_t kExactUpTo = 8;

  // Keeps a block alive while its entries are called.
  class Hold {
   public:
    explicit Hold(Block* b) : b_(b) { ++b_->refs; }
    ~Hold() { release(b_); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    Block* b_;
  };

  static Block* allocate(std::size_t capacity) {
    void* p = ::operator new(sizeof(Block) + capacity * sizeof(Entry));
    return new (p) Block{1, 0, static_cast<std::uint32_t>(capacity)};
  }
  static void release(Block* b) {
    if (!b || --b->refs) return;
    for (std::uint32_t i = 0; i < b->size; ++i) b->at(i)->~Entry();
    b->~Block();
    ::operator delete(b);
  }

  // The block, owned by this list alone and with room for `need` entries.
  Block* writable(std::size_t need) {
    if (block_ && block_->refs == 1 && block_->capacity >= need) return block_;
    const std::size_t n = size();
    const std::size_t cap = need <= kExactUpTo ? need : std::max(need, 2 * n);
    Block* next = allocate(cap);
    const bool shared = block_ && block_->refs > 1;  // a call is running over it: copy, keep it
    try {
      for (; next->size < n; ++next->size) {
        Entry& from = *block_->at(next->size);
        if (shared) {
          new (next->at(next->size)) Entry(from);
        } else {
          new (next->at(next->size)) Entry(std::move(from));
        }
      }
    } catch (...) {
      release(next);
      throw;
    }
    release(std::exchange(block_, next));
    return block_;
  }

  template <class P>
  bool remove_if(P pick, bool first_only) {
    const std::size_t n = size();
    std::size_t i = 0;
    while (i < n && !pick(*block_->at(i))) ++i;
    if (i == n) return false;
    Block* b = writable(n);  // may be a copy: entries are found again by position
    std::size_t out = i;
    for (std::size_t j = i; j < n; ++j) {
      Entry& e = *b->at(j);
      const bool drop = j == i || (!first_only && pick(e));
      if (drop) continue;
      if (out != j) *b->at(out) = std::move(e);
      ++out;
    }
    for (std::size_t j = out; j < n; ++j) b->at(j)->~Entry();
    b->size = static_cast<std::uint32_t>(out);
    if (out == 0) clear();
    return true;
  }

  template <class P, class... A>
  void call_if(P pick, A&... a) {
    if (!block_) return;
    Block* snapshot = block_;
    const Hold hold(snapshot);
    const std::size_t n = snapshot->size;  // a change makes a new block: this one stays as it is
    for (std::size_t i = 0; i < n; ++i) {
      const Entry& e = *snapshot->at(i);
      if (!pick(e)) continue;
      if (e.once) remove(e.id);
      e.fn(a...);
    }
  }

  Block* block_ = nullptr;  // null when empty
};

}  // namespace sio::io
