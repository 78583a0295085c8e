// Where the page and the client bundle are, when --web-root / --client-bundle
// are not given. The first candidate holding the file wins:
//   web root:  <exe>/../share/socketio-cpp/web   (installed: cmake --install,
//                                    the Debian package's /usr/share/socketio-cpp)
//              <exe>/../../web       (build/bin/sio-chat in a checkout: <repo>/web)
//              <source>/web          (this source tree, known at compile time)
//   bundle:    <exe>/../share/socketio-cpp/socket.io-client/socket.io.min.js (installed)
//              <web root>/../node_modules/socket.io-client/dist/socket.io.min.js
//              the same under <exe>/../.. (a checkout), then under <source>
// (<source> is the repository this binary was built from, so a build directory
// anywhere still finds its checkout. An installed binary finds its own files
// first: the checkout it was built in may be gone.)
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

namespace chat {

// Directory of the running executable (/proc/self/exe), or nullopt.
std::optional<std::filesystem::path> executable_dir();

std::vector<std::filesystem::path> web_root_candidates();
std::vector<std::filesystem::path> client_bundle_candidates(const std::filesystem::path& web_root);

// The first candidate for which `present` holds (a file that exists), or nullopt.
std::optional<std::filesystem::path> first_existing(const std::vector<std::filesystem::path>& candidates,
                                                    const std::filesystem::path& must_contain = {});

}  // namespace chat
