// The MessagePack type of an encoded value, from its first byte (the
// MessagePack spec's "Formats" table), as msgpuck's mp_typeof() answers it.
// Our own, so that the codec uses msgpuck's header only: Debian's
// libmsgpuck.a, where mp_typeof()'s table lives, is not position-independent
// and cannot go into a shared libsocketio-cpp, and a static one would make
// every user link it.
#pragma once

#include <cstdint>

#include <msgpuck.h>

namespace sio::adapter::cluster {

constexpr mp_type msgpack_type(char first) noexcept {
  const auto c = static_cast<std::uint8_t>(first);
  if (c <= 0x7f) return MP_UINT;   // positive fixint
  if (c <= 0x8f) return MP_MAP;    // fixmap
  if (c <= 0x9f) return MP_ARRAY;  // fixarray
  if (c <= 0xbf) return MP_STR;    // fixstr
  if (c >= 0xe0) return MP_INT;    // negative fixint
  switch (c) {
    case 0xc0: return MP_NIL;
    case 0xc2: case 0xc3: return MP_BOOL;
    case 0xc4: case 0xc5: case 0xc6: return MP_BIN;
    case 0xca: return MP_FLOAT;
    case 0xcb: return MP_DOUBLE;
    case 0xcc: case 0xcd: case 0xce: case 0xcf: return MP_UINT;
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: return MP_INT;
    case 0xd9: case 0xda: case 0xdb: return MP_STR;
    case 0xdc: case 0xdd: return MP_ARRAY;
    case 0xde: case 0xdf: return MP_MAP;
    default: return MP_EXT;  // 0xc1 (never used), ext 8/16/32 (0xc7-0xc9), fixext (0xd4-0xd8)
  }
}

}  // namespace sio::adapter::cluster
