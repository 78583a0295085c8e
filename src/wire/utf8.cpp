#include "wire/utf8.hpp"

#include <array>
#include <cstring>

namespace sio::wire {
namespace {

// Byte classes: each class is a set of bytes the DFA treats alike.
enum Class : std::uint8_t {
  kAscii,    // 00..7F
  kCont80,   // 80..8F  continuation, low
  kCont90,   // 90..9F  continuation, middle
  kContA0,   // A0..BF  continuation, high
  kBad,      // C0 C1 (always overlong), F5..FF (beyond U+10FFFF)
  kLead2,    // C2..DF
  kLeadE0,   // E0: next must be A0..BF (else overlong)
  kLead3,    // E1..EC, EE, EF
  kLeadED,   // ED: next must be 80..9F (else a surrogate)
  kLeadF0,   // F0: next must be 90..BF (else overlong)
  kLead4,    // F1..F3
  kLeadF4,   // F4: next must be 80..8F (else above U+10FFFF)
};

// States: what the DFA still expects.
enum State : std::uint8_t {
  sAccept,  // between code points
  sReject,  // invalid; absorbing
  sNeed1,   // one more continuation byte (any)
  sNeed2,   // two more (any)
  sE0,      // after E0
  sED,      // after ED
  sNeed3,   // three more (any)
  sF0,      // after F0
  sF4,      // after F4
  kStates
};

constexpr Class class_of(int b) {
  if (b < 0x80) return kAscii;
  if (b < 0x90) return kCont80;
  if (b < 0xA0) return kCont90;
  if (b < 0xC0) return kContA0;
  if (b < 0xC2) return kBad;
  if (b < 0xE0) return kLead2;
  if (b == 0xE0) return kLeadE0;
  if (b == 0xED) return kLeadED;
  if (b < 0xF0) return kLead3;
  if (b == 0xF0) return kLeadF0;
  if (b < 0xF4) return kLead4;
  if (b == 0xF4) return kLeadF4;
  return kBad;
}

constexpr State next_state(State s, Class c) {
  const bool cont = c == kCont80 || c == kCont90 || c == kContA0;
  switch (s) {
    case sAccept:
      switch (c) {
        case kAscii: return sAccept;
        case kLead2: return sNeed1;
        case kLeadE0: return sE0;
        case kLead3: return sNeed2;
        case kLeadED: return sED;
        case kLeadF0: return sF0;
        case kLead4: return sNeed3;
        case kLeadF4: return sF4;
        default: return sReject;
      }
    case sNeed1: return cont ? sAccept : sReject;
    case sNeed2: return cont ? sNeed1 : sReject;
    case sNeed3: return cont ? sNeed2 : sReject;
    case sE0: return c == kContA0 ? sNeed1 : sReject;
    case sED: return c == kCont80 || c == kCont90 ? sNeed1 : sReject;
    case sF0: return c == kCont90 || c == kContA0 ? sNeed2 : sReject;
    case sF4: return c == kCont80 ? sNeed2 : sReject;
    default: return sReject;
  }
}

// A "shift DFA": a state is a bit offset (state * 6) and row[b] packs, for
// every state, the offset of the state that byte b leads to. One step is
// (row[b] >> state) & 63. The load does not depend on the state, so the
// dependency chain from byte to byte is only a shift and a mask, which is
// what bounds a table-driven validator's speed on non-ASCII text.
constexpr unsigned kBits = 6;
static_assert(kStates * kBits <= 64);

constexpr std::array<std::uint64_t, 256> make_rows() {
  std::array<std::uint64_t, 256> rows{};
  for (int b = 0; b < 256; ++b) {
    std::uint64_t row = 0;
    for (unsigned s = 0; s < kStates; ++s) {
      const std::uint64_t to = next_state(static_cast<State>(s), class_of(b)) * kBits;
      row |= to << (s * kBits);
    }
    rows[static_cast<std::size_t>(b)] = row;
  }
  return rows;
}

constexpr auto kRows = make_rows();
constexpr std::uint32_t kAccepted = sAccept * kBits;  // 0, which complete() relies on
constexpr std::uint32_t kRejected = sReject * kBits;
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

}  // namespace

bool Utf8Validator::feed(std::string_view s) noexcept {
  auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  std::uint32_t st = state_;
  while (p != end) {
    if (st == kAccepted && *p < 0x80) {
      // ASCII run: skip 16 bytes at a time while no byte has its top bit set.
      while (end - p >= 16) {
        std::uint64_t a, b;
        std::memcpy(&a, p, 8);
        std::memcpy(&b, p + 8, 8);
        if ((a | b) & kHighBits) break;
        p += 16;
      }
      while (p != end && *p < 0x80) ++p;
      continue;
    }
    // The rest of one code point.
    do {
      st = static_cast<std::uint32_t>(kRows[*p++] >> st) & 63;
    } while (st != kAccepted && st != kRejected && p != end);
    if (st == kRejected) break;
  }
  state_ = st;
  return st != kRejected;
}

bool is_valid_utf8(std::string_view s) noexcept {
  Utf8Validator v;
  return v.feed(s) && v.complete();
}

}  // namespace sio::wire
