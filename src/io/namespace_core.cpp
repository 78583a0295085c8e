#include "io/namespace_core.hpp"

#include "adapter/memory_adapter.hpp"
#include "io/ack_slot.hpp"
#include "io/server_core.hpp"

namespace sio::io {

NamespaceCore::NamespaceCore(ServerCore& server, std::string name, const AdapterFactory& factory,
                             NamespaceCore* parent)
    : server_(server),
      name_(std::move(name)),
      parent_(parent),
      api_(*this),
      handlers_(std::make_shared<Handlers>()) {
  adapter::Context ctx;
  ctx.nsp = name_;
  ctx.loops = server_.loops();
  ctx.on_server_side_emit = [this](const std::string& event, const Args& args, adapter::AckFn ack) {
    on_server_side_emit(event, args, std::move(ack));
  };
  ctx.recovery = server_.config().recovery;
  ctx.clock = server_.config().clock;
  adapter_ = factory ? factory(ctx) : adapter::make_memory_adapter(ctx);
  recovers_ = server_.config().recovery.enabled && adapter_->recovers();
}

NamespaceCore::NamespaceCore(ServerCore& server, std::string name, NamespaceMatcher matcher)
    : server_(server),
      name_(std::move(name)),
      parent_(nullptr),
      matcher_(std::move(matcher)),
      api_(*this),
      handlers_(std::make_shared<Handlers>()) {}

NamespaceCore::~NamespaceCore() {
  if (adapter_) adapter_->close();
}

std::shared_ptr<const NamespaceCore::Handlers> NamespaceCore::snapshot() const {
  std::lock_guard lock(mu_);
  return handlers_;
}

void NamespaceCore::add_connection_handler(ConnectionHandler fn) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Handlers>(*handlers_);
  next->connection.push_back(std::move(fn));
  handlers_ = std::move(next);
}

void NamespaceCore::add_middleware(Middleware<Socket> fn) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Handlers>(*handlers_);
  next->middlewares.push_back(std::move(fn));
  handlers_ = std::move(next);
}

void NamespaceCore::add_server_side_handler(std::string event, ServerSideHandler fn) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Handlers>(*handlers_);
  next->server_side[std::move(event)].push_back(std::move(fn));
  handlers_ = std::move(next);
}

std::shared_ptr<const std::vector<ConnectionHandler>> NamespaceCore::connection_handlers() const {
  auto own = snapshot();
  if (!parent_) return std::shared_ptr<const std::vector<ConnectionHandler>>(own, &own->connection);
  auto all = std::make_shared<std::vector<ConnectionHandler>>(*parent_->connection_handlers());
  all->insert(all->end(), own->connection.begin(), own->connection.end());
  return all;
}

Middlewares<Socket> NamespaceCore::middlewares() const {
  auto own = snapshot();
  if (!parent_) return Middlewares<Socket>(own, &own->middlewares);
  auto all = std::make_shared<std::vector<Middleware<Socket>>>(*parent_->middlewares());
  all->insert(all->end(), own->middlewares.begin(), own->middlewares.end());
  return all;
}

void NamespaceCore::add_child(NamespaceCore& child) {
  std::lock_guard lock(mu_);
  children_.push_back(&child);
}

std::size_t NamespaceCore::child_count() const {
  std::lock_guard lock(mu_);
  return children_.size();
}

std::vector<NamespaceCore*> NamespaceCore::children() const {
  std::lock_guard lock(mu_);
  return children_;
}

void NamespaceCore::on_server_side_emit(const std::string& event, const Args& args, adapter::AckFn ack) {
  auto h = snapshot();
  auto it = h->server_side.find(event);
  if (it == h->server_side.end()) return;
  Ack answer;
  if (ack) {
    auto slot = std::make_shared<AckSlot>();
    slot->fn = std::move(ack);
    answer = Ack(std::move(slot));
  }
  for (const auto& fn : it->second) fn(args, answer);
}

}  // namespace sio::io
