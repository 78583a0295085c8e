// Large blocks (128 KiB and more: WebSocket messages arriving in pieces,
// polling bodies, attachments) get a mapping of their own and go back to the
// system as soon as they are freed. glibc's default raises its mmap threshold
// each time such a block is freed (up to 32 MiB), after which large blocks
// come from the heap, whose free space the process keeps: websocket-echo held
// 320 MB under an inbound budget of 256 MiB. Fixing the threshold (what
// MALLOC_MMAP_THRESHOLD_=131072 does) keeps RSS near what the limits count.
// A threshold set in the environment is left as it is.
#pragma once

#include <malloc.h>

#include <cstdlib>

namespace sio::apps {

inline void return_large_blocks_at_once() {
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
}

}  // namespace sio::apps
