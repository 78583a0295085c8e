// sio::namespace_regex (include/sio/server.hpp).
#include <regex>

#include <sio/server.hpp>

namespace sio {

NamespaceMatcher namespace_regex(const std::string& pattern) {
  auto re = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  return [re](const std::string& name, const boost::json::object&) { return std::regex_search(name, *re); };
}

}  // namespace sio
