// sio::Handshake: the request it shares, and its time formatted on demand
// (a string per socket would cost more than the socket's other fields).
#include <sio/handshake.hpp>

#include <ctime>

namespace sio {

const HttpRequest& Handshake::request() const {
  static const HttpRequest none;
  return request_ ? *request_ : none;
}

std::string Handshake::time() const {
  std::time_t t = static_cast<std::time_t>(issued / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)", &tm);
  return std::string(buf, n);
}

}  // namespace sio
