// Loads the golden vectors that tests/adapter/vectors/generate.mjs wrote by
// running notepack.io, @socket.io/redis-adapter and @socket.io/redis-emitter.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <boost/json/value.hpp>

#include "wire/sio_json.hpp"

namespace sio::test {

inline boost::json::value load_vectors(const char* file) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "vectors" / file;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::error_code ec;
  auto v = wire::socketio::parse_json(ss.str(), ec);
  if (ec) throw std::runtime_error("bad JSON in " + path.string());
  return v;
}

inline std::string from_hex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

inline std::string to_hex(std::string_view b) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

inline std::string json_text(const boost::json::value& v) {
  std::string out;
  wire::socketio::append_json(out, v);
  return out;
}

}  // namespace sio::test
