// FUZZ_REQUIRE(cond): a fuzzer's invariant. Broken, it says which (file,
// line, the condition) and aborts: libFuzzer keeps the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(cond)                                                              \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__);          \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
