# Project-wide warnings, applied per target with sio_warnings(target).
function(sio_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
endfunction()

# Build the same sources a second time with libFuzzer coverage instrumentation
# and sanitizers (clang only). Used by tests/fuzz.
set(SIO_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1)
