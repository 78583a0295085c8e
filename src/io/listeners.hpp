// A list of listeners with ids (for off()) and once-listeners. Calls go to a
// snapshot, so a listener may add or remove listeners (or destroy the owner's
// other lists) while it runs; a listener removed during a call is still called
// in that round, as Node's EventEmitter does.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace sio::io {

template <class Fn>
class ListenerList {
 public:
  void add(std::uint64_t id, Fn fn, bool once = false) {
    entries_.push_back({id, std::make_shared<Fn>(std::move(fn)), once});
  }
  bool remove(std::uint64_t id) {
    auto it = std::find_if(entries_.begin(), entries_.end(), [id](const Entry& e) { return e.id == id; });
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
  }
  void clear() { entries_.clear(); }
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }

  template <class... A>
  void call(A&... a) {
    if (entries_.empty()) return;
    const std::vector<Entry> snapshot = entries_;
    for (const auto& e : snapshot) {
      if (e.once) remove(e.id);
      (*e.fn)(a...);
    }
  }

 private:
  struct Entry {
    std::uint64_t id;
    std::shared_ptr<Fn> fn;  // shared: a running listener outlives its removal
    bool once;
  };
  std::vector<Entry> entries_;
};

}  // namespace sio::io
