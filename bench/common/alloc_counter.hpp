// Counts heap allocations in a benchmark binary. The global operator new is
// replaced, and so are malloc/calloc/realloc (some of our code, SharedBytes
// for one, allocates with malloc directly); each allocation is counted once,
// then served by glibc's allocator (__libc_malloc). Include this header in
// exactly one .cpp per binary (each bench/*_bench.cpp is its own binary) and
// report
//   state.counters["allocs/op"] = allocs_per_op(before, state);
// A relaxed atomic increment per allocation: a few nanoseconds, every
// benchmark alike.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);
}

namespace sio::bench {
inline std::atomic<std::uint64_t> g_allocs{0};

inline std::uint64_t allocs() noexcept { return g_allocs.load(std::memory_order_relaxed); }
inline void count_alloc() noexcept { g_allocs.fetch_add(1, std::memory_order_relaxed); }

// Allocations per iteration since `before` (taken just before the loop).
inline benchmark::Counter allocs_per_op(std::uint64_t before, const benchmark::State& state) {
  return benchmark::Counter(static_cast<double>(allocs() - before) / static_cast<double>(state.iterations()));
}
}  // namespace sio::bench

extern "C" {
void* malloc(std::size_t n) {
  sio::bench::count_alloc();
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t m) {
  sio::bench::count_alloc();
  return __libc_calloc(n, m);
}
void* realloc(void* p, std::size_t n) {
  sio::bench::count_alloc();
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
}

void* operator new(std::size_t n) {
  sio::bench::count_alloc();
  if (void* p = __libc_malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  sio::bench::count_alloc();
  return __libc_malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void* operator new(std::size_t n, std::align_val_t a) {
  sio::bench::count_alloc();
  if (void* p = __libc_memalign(static_cast<std::size_t>(a), n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
void operator delete(void* p) noexcept { __libc_free(p); }
void operator delete[](void* p) noexcept { __libc_free(p); }
void operator delete(void* p, std::size_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::size_t) noexcept { __libc_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { __libc_free(p); }
