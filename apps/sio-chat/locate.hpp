// Where the page and the client bundle are, when --web-root / --client-bundle
// are not given. The first candidate holding the file wins:
//   web root:  <exe>/../../web       (build/bin/sio-chat in a checkout: <repo>/web)
//              <exe>/../share/sio-chat/web   (an installed layout)
//              <source>/web          (this source tree, known at compile time)
//   bundle:    <web root>/../node_modules/socket.io-client/dist/socket.io.min.js
//              the same under <exe>/../.. and <source>
// (<source> is the repository this binary was built from, so a build directory
// anywhere still finds its checkout.)
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
