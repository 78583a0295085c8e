#include "locate.hpp"

#include <system_error>

namespace chat {
namespace {

namespace fs = std::filesystem;

const fs::path kBundle = fs::path("node_modules") / "socket.io-client" / "dist" / "socket.io.min.js";
// Where cmake --install puts the page and the bundle, under the prefix
// (cmake/SioInstall.cmake).
const fs::path kInstalledData = fs::path("share") / "socketio-cpp";
const fs::path kInstalledBundle = kInstalledData / "socket.io-client" / "socket.io.min.js";

// The repository root this file was compiled from (apps/sio-chat/locate.cpp).
fs::path source_root() {
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
}

}  // namespace

std::optional<fs::path> executable_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return exe.parent_path();
}

std::vector<fs::path> web_root_candidates() {
  std::vector<fs::path> out;
  if (auto dir = executable_dir()) {
    out.push_back(*dir / ".." / kInstalledData / "web");
    out.push_back(*dir / ".." / ".." / "web");
  }
  out.push_back(source_root() / "web");
  return out;
}

std::vector<fs::path> client_bundle_candidates(const fs::path& web_root) {
  std::vector<fs::path> out;
  auto dir = executable_dir();
  if (dir) out.push_back(*dir / ".." / kInstalledBundle);
  out.push_back(web_root / ".." / kBundle);
  if (dir) out.push_back(*dir / ".." / ".." / kBundle);
  out.push_back(source_root() / kBundle);
  return out;
}

std::optional<fs::path> first_existing(const std::vector<fs::path>& candidates, const fs::path& must_contain) {
  for (const auto& c : candidates) {
    std::error_code ec;
    fs::path probe = must_contain.empty() ? c : c / must_contain;
    if (fs::is_regular_file(probe, ec)) return fs::weakly_canonical(c, ec);
  }
  return std::nullopt;
}

}  // namespace chat
