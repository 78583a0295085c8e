// Values in reusable slots, named by ids that carry the slot's generation:
// once a value is erased, its id never matches again, even after the slot is
// reused. The loop's timers and its epoll set's registrations use it, so that
// a cancelled timer's heap entry, or an event fetched for a closed socket,
// finds nothing instead of someone else's value.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace sio::net {

template <class T>
class SlotMap {
 public:
  using Id = std::uint64_t;  // generation << 32 | slot; never 0

  Id insert(T value) {
    std::uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    Slot& s = slots_[index];
    s.value = std::move(value);
    s.live = true;
    return (static_cast<Id>(s.generation) << 32) | index;
  }

  // The value named by `id`, or nullptr once it was erased.
  T* find(Id id) noexcept {
    const auto index = static_cast<std::uint32_t>(id);
    if (index >= slots_.size()) return nullptr;
    Slot& s = slots_[index];
    return s.live && s.generation == static_cast<std::uint32_t>(id >> 32) ? &s.value : nullptr;
  }
  bool contains(Id id) const noexcept { return const_cast<SlotMap*>(this)->find(id) != nullptr; }

  // Drops the value (its resources go at once); false when `id` is stale.
  bool erase(Id id) noexcept {
    if (!find(id)) return false;
    const auto index = static_cast<std::uint32_t>(id);
    Slot& s = slots_[index];
    s.value = T{};
    s.live = false;
    if (++s.generation == 0) s.generation = 1;  // ids are never 0
    free_.push_back(index);
    return true;
  }

 private:
  struct Slot {
    T value{};
    std::uint32_t generation = 1;
    bool live = false;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace sio::net
