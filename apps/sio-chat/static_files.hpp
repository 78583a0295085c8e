// The page's files: anything under the web root (web/), and the official
// socket.io-client browser bundle at /socket.io-client.js. Files are read on
// each request (they are small), so an edited page shows on reload.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

inline constexpr std::string_view kClientBundleUrl = "/socket.io-client.js";

struct StaticResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;
};

class StaticFiles {
 public:
  StaticFiles(std::filesystem::path web_root, std::filesystem::path client_bundle);

  // GET or HEAD of `path` (decoded, no query): the file, or a 404.
  StaticResponse serve(std::string_view method, std::string_view path) const;

  // The file a URL path names, or nullopt: only [A-Za-z0-9._-] segments, none
  // starting with a dot (no "..", no hidden files).
  std::optional<std::filesystem::path> resolve(std::string_view path) const;

 private:
  std::filesystem::path web_root_;
  std::filesystem::path client_bundle_;
};

// Headers on every page response. Defence in depth: even if some text slipped
// into the DOM as HTML, no inline script would run; blob: for attachments.
const std::map<std::string, std::string>& security_headers();

}  // namespace chat
