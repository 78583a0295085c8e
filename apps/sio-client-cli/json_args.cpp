#include "json_args.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/stream_parser.hpp>

namespace cli {

namespace json = boost::json;

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> unbase64(std::string_view in) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
    if (!p) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// {"_binary": "..."} -> a placeholder from the builder; recursively.
bool lift_binaries(json::value& v, sio::PayloadBuilder& b, std::string& error) {
  if (auto* o = v.if_object()) {
    if (o->size() == 1 && o->contains("_binary")) {
      const auto* s = o->at("_binary").if_string();
      auto bytes = s ? unbase64(*s) : std::nullopt;
      if (!bytes) {
        error = "_binary must be a base64 string";
        return false;
      }
      v = b.add(sio::Binary(std::move(*bytes)));
      return true;
    }
    for (auto& [k, x] : *o)
      if (!lift_binaries(x, b, error)) return false;
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a)
      if (!lift_binaries(x, b, error)) return false;
  }
  return true;
}

json::value lower_binaries(const json::value& v, const sio::Payload& p) {
  if (const sio::Binary* bin = p.binary(v)) return json::object{{"_binary", base64(bin->view())}};
  if (const auto* o = v.if_object()) {
    json::object r;
    for (const auto& [k, x] : *o) r[k] = lower_binaries(x, p);
    return r;
  }
  if (const auto* a = v.if_array()) {
    json::array r;
    for (const auto& x : *a) r.push_back(lower_binaries(x, p));
    return r;
  }
  return v;
}

}  // namespace

std::optional<Command> parse_command(std::string_view line, std::string& error) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  const auto name_end = line.find_first_of(" \t");
  Command cmd;
  cmd.event = std::string(line.substr(0, name_end));
  if (cmd.event.empty()) {
    error = "expected: event-name [json ...]";
    return std::nullopt;
  }
  std::string_view rest = name_end == std::string_view::npos ? std::string_view() : line.substr(name_end);
  json::stream_parser p;
  for (;;) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    if (rest.empty()) break;
    p.reset();
    boost::system::error_code ec;
    // Values follow one another: parse one, then start over where it ended.
    const std::size_t used = p.write_some(rest.data(), rest.size(), ec);
    if (!ec && !p.done()) p.finish(ec);
    if (ec) {
      error = "bad JSON argument: " + ec.message();
      return std::nullopt;
    }
    json::value v = p.release();
    rest.remove_prefix(used);
    sio::PayloadBuilder b;
    if (!lift_binaries(v, b, error)) return std::nullopt;
    cmd.args.push_back(b.build(std::move(v)));
  }
  return cmd;
}

json::value to_json(const sio::Payload& p) { return lower_binaries(p.json(), p); }

json::value to_json(const sio::Args& args) {
  json::array a;
  for (const auto& p : args) a.push_back(to_json(p));
  return a;
}

}  // namespace cli
