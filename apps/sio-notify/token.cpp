#include "token.hpp"

#include <charconv>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace notify {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::string mac(std::string_view secret, std::string_view message) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  return hex(md, len);
}

}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string issue_token(std::string_view secret, std::string_view name, std::int64_t expires_s) {
  std::string signed_part = std::string(name) + "." + std::to_string(expires_s);
  return signed_part + "." + mac(secret, signed_part);
}

std::optional<std::string> verify_token(std::string_view secret, std::string_view token, std::int64_t now_s) {
  if (token.size() > 128) return std::nullopt;
  const auto last = token.rfind('.');
  if (last == std::string_view::npos) return std::nullopt;
  const std::string_view signed_part = token.substr(0, last);
  const auto first = signed_part.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::string_view name = signed_part.substr(0, first);
  const std::string_view expires = signed_part.substr(first + 1);
  std::int64_t exp = 0;
  auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), exp);
  if (ec != std::errc() || end != expires.data() + expires.size()) return std::nullopt;
  if (!valid_name(name)) return std::nullopt;
  if (!equal_secret(mac(secret, signed_part), token.substr(last + 1))) return std::nullopt;
  if (exp <= now_s) return std::nullopt;
  return std::string(name);
}

bool equal_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_secret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  return hex(bytes, sizeof bytes);
}

}  // namespace notify
