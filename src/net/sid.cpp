// Session ids: 20 base64url characters. The first names the owning loop (so a
// request on any loop finds its session without a shared lock); the other 19
// carry 114 random bits from OpenSSL's CSPRNG.
#include <stdexcept>

#include <openssl/rand.h>

#include "net/server_core.hpp"

namespace sio::net {

namespace {
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

std::string ServerCore::new_sid(std::size_t loop_index) const {
  unsigned char rnd[19];
  if (RAND_bytes(rnd, sizeof rnd) != 1) throw std::runtime_error("RAND_bytes failed");
  std::string sid(20, '\0');
  sid[0] = kB64Url[loop_index % 64];
  for (std::size_t i = 0; i < sizeof rnd; ++i) sid[i + 1] = kB64Url[rnd[i] & 63];
  return sid;
}

int ServerCore::loop_of(std::string_view sid) const {
  if (sid.size() != 20) return -1;
  const char c = sid[0];
  int idx;
  if (c >= 'A' && c <= 'Z') idx = c - 'A';
  else if (c >= 'a' && c <= 'z') idx = 26 + (c - 'a');
  else if (c >= '0' && c <= '9') idx = 52 + (c - '0');
  else if (c == '-') idx = 62;
  else if (c == '_') idx = 63;
  else return -1;
  return idx < static_cast<int>(loops.size()) ? idx : -1;
}

}  // namespace sio::net
