#include "io/server_core.hpp"

#include <stdexcept>

#include "io/client.hpp"
#include "io/namespace_core.hpp"

namespace sio::io {

namespace {
// Names start with "/": socket.io adds the slash when a name lacks it.
std::string normalise(std::string_view name) {
  if (!name.empty() && name.front() == '/') return std::string(name);
  return "/" + std::string(name);
}
}  // namespace

ServerCore::ServerCore(Config cfg) : cfg_(std::move(cfg)) {}
ServerCore::~ServerCore() = default;

void ServerCore::set_loops(std::vector<engine::Loop*> loops) {
  if (loops.empty()) throw std::invalid_argument("a server needs at least one loop");
  loops_ = std::move(loops);
  of("/");
}

engine::Loop& ServerCore::home_loop() const {
  for (auto* l : loops_)
    if (l->in_loop_thread()) return *l;
  return *loops_.front();
}

NamespaceCore& ServerCore::create_locked(const std::string& name, NamespaceCore* parent) {
  auto nsp = std::make_unique<NamespaceCore>(*this, name, cfg_.adapter, parent);
  auto& ref = *nsp;
  nsps_.emplace(name, std::move(nsp));
  if (parent) parent->add_child(ref);
  return ref;
}

NamespaceCore& ServerCore::of(std::string_view name) {
  const std::string n = normalise(name);
  std::lock_guard lock(mu_);
  auto it = nsps_.find(n);
  if (it != nsps_.end()) return *it->second;
  return create_locked(n, nullptr);
}

NamespaceCore& ServerCore::add_parent(NamespaceMatcher matcher) {
  std::lock_guard lock(mu_);
  const std::string name = "/_" + std::to_string(parents_.size());  // socket.io's naming
  parents_.push_back(std::make_unique<NamespaceCore>(*this, name, std::move(matcher)));
  return *parents_.back();
}

NamespaceCore* ServerCore::resolve(const std::string& name, const boost::json::object& auth) {
  std::vector<NamespaceCore*> parents;
  {
    std::lock_guard lock(mu_);
    auto it = nsps_.find(name);
    if (it != nsps_.end()) return it->second.get();
    for (auto& p : parents_) parents.push_back(p.get());
  }
  // matchers are the application's code: run them without the lock
  for (NamespaceCore* p : parents) {
    if (!p->matches(name, auth)) continue;
    std::lock_guard lock(mu_);
    auto it = nsps_.find(name);  // another loop may have created it meanwhile
    if (it != nsps_.end()) return it->second.get();
    if (cfg_.max_dynamic_namespaces && p->child_count() >= cfg_.max_dynamic_namespaces) continue;  // full
    return &create_locked(name, p);
  }
  return nullptr;
}

std::unique_ptr<engine::Listener> ServerCore::on_open(engine::ConnectionPtr conn) {
  auto client = std::make_shared<Client>(*this, std::move(conn));
  client->start();
  return std::make_unique<ClientListener>(std::move(client));
}

}  // namespace sio::io
