#include "net/listener.hpp"

#include <thread>

namespace sio::net {

namespace asio = boost::asio;
using boost::asio::ip::tcp;

namespace {
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
}

Listeners::Listeners(std::vector<std::unique_ptr<AsioLoop>>& loops, const std::string& host, std::uint16_t port)
    : loops_(loops) {
  const auto addr = asio::ip::make_address(host);
  for (auto& loop : loops_) {
    auto a = std::make_unique<tcp::acceptor>(loop->context());
    tcp::endpoint ep(addr, port);
    a->open(ep.protocol());
    a->set_option(tcp::acceptor::reuse_address(true));
    a->set_option(reuse_port(true));
    a->bind(ep);
    a->listen(asio::socket_base::max_listen_connections);
    port = a->local_endpoint().port();
    acceptors_.push_back(std::move(a));
  }
  port_ = port;
}

void Listeners::start(OnAccept on_accept) {
  on_accept_ = std::move(on_accept);
  peers_.resize(acceptors_.size());
  for (std::size_t i = 0; i < acceptors_.size(); ++i) accept(i);
}

void Listeners::accept(std::size_t i) {
  // The peer's address comes with accept() (no getpeername per connection).
  acceptors_[i]->async_accept(loops_[i]->context(), peers_[i], [this, i](boost::system::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || !acceptors_[i]->is_open()) return;
    if (ec) {
      counters_.failed.fetch_add(1, std::memory_order_relaxed);
    } else {
      counters_.accepted.fetch_add(1, std::memory_order_relaxed);
      on_accept_(i, std::move(s), peers_[i]);
    }
    accept(i);
  });
}

void Listeners::close(std::size_t i) {
  boost::system::error_code ec;
  acceptors_[i]->close(ec);
}

void run_loops(std::vector<std::unique_ptr<AsioLoop>>& loops) {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < loops.size(); ++i) threads.emplace_back([&loops, i] { loops[i]->run(); });
  loops[0]->run();
  for (auto& t : threads) t.join();
}

}  // namespace sio::net
