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
  kClasses
};

// States: what the DFA still expects. Stored premultiplied by kRow so that a
// step is one table load: next = trans[state + class].
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
constexpr std::uint32_t kRow = 16;
static_assert(kClasses <= kRow);

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> c{};
  for (int b = 0; b < 256; ++b) {
    Class k = kBad;
    if (b < 0x80) k = kAscii;
    else if (b < 0x90) k = kCont80;
    else if (b < 0xA0) k = kCont90;
    else if (b < 0xC0) k = kContA0;
    else if (b < 0xC2) k = kBad;
    else if (b < 0xE0) k = kLead2;
    else if (b == 0xE0) k = kLeadE0;
    else if (b == 0xED) k = kLeadED;
    else if (b < 0xF0) k = kLead3;
    else if (b == 0xF0) k = kLeadF0;
    else if (b < 0xF4) k = kLead4;
    else if (b == 0xF4) k = kLeadF4;
    c[static_cast<std::size_t>(b)] = k;
  }
  return c;
}

constexpr std::array<std::uint8_t, kStates * kRow> make_transitions() {
  std::array<std::uint8_t, kStates * kRow> t{};
  auto set = [&t](State from, Class on, State to) {
    t[from * kRow + on] = static_cast<std::uint8_t>(to * kRow);
  };
  for (std::uint32_t s = 0; s < kStates; ++s)
    for (std::uint32_t k = 0; k < kRow; ++k) t[s * kRow + k] = sReject * kRow;
  set(sAccept, kAscii, sAccept);
  set(sAccept, kLead2, sNeed1);
  set(sAccept, kLeadE0, sE0);
  set(sAccept, kLead3, sNeed2);
  set(sAccept, kLeadED, sED);
  set(sAccept, kLeadF0, sF0);
  set(sAccept, kLead4, sNeed3);
  set(sAccept, kLeadF4, sF4);
  for (Class k : {kCont80, kCont90, kContA0}) {
    set(sNeed1, k, sAccept);
    set(sNeed2, k, sNeed1);
    set(sNeed3, k, sNeed2);
  }
  set(sE0, kContA0, sNeed1);
  set(sED, kCont80, sNeed1);
  set(sED, kCont90, sNeed1);
  set(sF0, kCont90, sNeed2);
  set(sF0, kContA0, sNeed2);
  set(sF4, kCont80, sNeed2);
  return t;
}

constexpr auto kClassOf = make_classes();
constexpr auto kNext = make_transitions();
constexpr std::uint32_t kRejected = sReject * kRow;
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

}  // namespace

bool Utf8Validator::feed(std::string_view s) noexcept {
  auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  std::uint32_t st = state_;
  while (p != end) {
    if (st == sAccept && *p < 0x80) {
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
    st = kNext[st + kClassOf[*p++]];
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
