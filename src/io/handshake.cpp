#include "io/handshake.hpp"

#include <chrono>
#include <random>

namespace sio::io {

std::string make_socket_id() {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  std::string id(20, '\0');
  for (std::size_t i = 0; i < id.size(); i += 4) {
    std::uint64_t bits = rng();  // 24 bits (3 bytes) -> 4 characters
    for (std::size_t k = 0; k < 4; ++k, bits >>= 6) id[i + k] = alphabet[bits & 63];
  }
  return id;
}

std::string make_private_id() {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // The operating system's generator (getrandom), not the socket ids' faster
  // one: whoever knows a pid takes over its session.
  thread_local std::random_device rd;
  std::string id(20, '\0');
  for (std::size_t i = 0; i < id.size(); i += 5) {
    std::uint32_t bits = rd();  // 30 of its 32 bits -> 5 characters
    for (std::size_t k = 0; k < 5; ++k, bits >>= 6) id[i + k] = alphabet[bits & 63];
  }
  return id;
}

Handshake make_handshake(const SharedRequest& request, boost::json::object auth) {
  const auto now = std::chrono::system_clock::now();
  const std::int64_t issued = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return Handshake(request, issued, std::move(auth));
}

}  // namespace sio::io
