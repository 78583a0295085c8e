#include "static_files.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace chat {
namespace {

std::string_view content_type(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  return "application/octet-stream";
}

bool safe_segment(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> read_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

const std::map<std::string, std::string>& security_headers() {
  static const std::map<std::string, std::string> headers{
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-cache"},
  };
  return headers;
}

StaticFiles::StaticFiles(std::filesystem::path web_root, std::filesystem::path client_bundle)
    : web_root_(std::move(web_root)), client_bundle_(std::move(client_bundle)) {}

std::optional<std::filesystem::path> StaticFiles::resolve(std::string_view path) const {
  if (path == kClientBundleUrl) return client_bundle_;
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string_view rel = path == "/" ? std::string_view("index.html") : path.substr(1);
  std::filesystem::path file = web_root_;
  while (true) {
    auto slash = rel.find('/');
    std::string_view segment = rel.substr(0, slash);
    if (!safe_segment(segment)) return std::nullopt;
    file /= std::string(segment);
    if (slash == std::string_view::npos) break;
    rel.remove_prefix(slash + 1);
  }
  return file;
}

StaticResponse StaticFiles::serve(std::string_view method, std::string_view path) const {
  StaticResponse res;
  res.headers = security_headers();
  std::optional<std::string> body;
  std::optional<std::filesystem::path> file;
  if (method == "GET" || method == "HEAD") file = resolve(path);
  if (file) body = read_file(*file);
  if (!body) {
    res.status = 404;
    res.content_type = "text/plain; charset=utf-8";
    res.body = "not found\n";
    return res;
  }
  res.content_type = std::string(content_type(*file));
  if (method == "GET") res.body = std::move(*body);
  return res;
}

}  // namespace chat
