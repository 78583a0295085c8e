// Immutable, reference-counted bytes: one allocation holds the count, the size
// and the bytes. A broadcast encodes its packet once into a SharedBytes and
// every recipient's output queue holds a reference (principle 7).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>
#include <utility>

namespace sio::wire {

class SharedBytes {
 public:
  SharedBytes() noexcept = default;

  static SharedBytes copy_of(std::string_view s) {
    SharedBytes b = allocate(s.size());
    if (!s.empty()) std::memcpy(b.mutable_data(), s.data(), s.size());
    return b;
  }

  // Uninitialised bytes to fill before the value is shared.
  static SharedBytes allocate(std::size_t n) {
    void* p = std::malloc(sizeof(Block) + n);
    if (!p) throw std::bad_alloc();
    auto* blk = new (p) Block{};
    blk->size = n;
    SharedBytes b;
    b.blk_ = blk;
    return b;
  }

  SharedBytes(const SharedBytes& o) noexcept : blk_(o.blk_) {
    if (blk_) blk_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedBytes(SharedBytes&& o) noexcept : blk_(std::exchange(o.blk_, nullptr)) {}
  SharedBytes& operator=(SharedBytes o) noexcept {
    std::swap(blk_, o.blk_);
    return *this;
  }
  ~SharedBytes() { release(); }

  const char* data() const noexcept { return blk_ ? blk_->bytes() : nullptr; }
  char* mutable_data() noexcept { return blk_->bytes(); }  // only before sharing
  std::size_t size() const noexcept { return blk_ ? blk_->size : 0; }
  bool empty() const noexcept { return size() == 0; }
  std::string_view view() const noexcept { return {data(), size()}; }
  explicit operator bool() const noexcept { return blk_ != nullptr; }
  long use_count() const noexcept { return blk_ ? blk_->refs.load() : 0; }

 private:
  struct Block {
    std::atomic<long> refs{1};
    std::size_t size = 0;
    char* bytes() noexcept { return reinterpret_cast<char*>(this + 1); }
  };

  void release() noexcept {
    if (blk_ && blk_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      blk_->~Block();
      std::free(blk_);
    }
    blk_ = nullptr;
  }

  Block* blk_ = nullptr;
};

}  // namespace sio::wire
