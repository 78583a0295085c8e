#include "adapter/redis/redis_adapter.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>

#include <spdlog/spdlog.h>

#include <sio/error.hpp>

#include "adapter/cluster/channels.hpp"
#include "adapter/cluster/message_codec.hpp"
#include "adapter/memory_adapter.hpp"
#include "adapter/redis/convert.hpp"
#include "wire/sio_args.hpp"

namespace sio::adapter::redis {
namespace json = boost::json;
namespace cl = cluster;

namespace {

// uid2-style ids: 6 characters of [A-Za-z0-9], as the Node adapter makes its
// server uids and request ids.
std::string random_id() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  static constexpr char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::lock_guard lk(mu);
  std::uniform_int_distribution<std::size_t> d(0, sizeof chars - 2);
  std::string s(6, ' ');
  for (auto& c : s) c = chars[d(rng)];
  return s;
}

// One of our requests waiting for other servers' answers.
struct Pending {
  cl::RequestType type;
  std::size_t expected = 0;  // answers wanted (this server's own counts as one for fetches)
  std::size_t received = 0;
  std::vector<SocketInfo> sockets;  // fetch_sockets
  std::vector<Args> replies;        // server_side_emit
  FetchFn fetch_done;
  ServerSideAckFn emit_done;
};

struct AckRequest {
  CountFn count;
  AckFn ack;
};

// Shared with timers, which may fire after the adapter is gone.
struct Book {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<Pending>, std::less<>> requests;
  std::map<std::string, AckRequest, std::less<>> acks;
};

// Ends `p` (once): with the answers so far, and `ec` when some are missing.
void finish(const std::shared_ptr<Pending>& p, std::error_code ec) {
  if (p->fetch_done) p->fetch_done(ec, std::move(p->sockets));
  if (p->emit_done) p->emit_done(ec, std::move(p->replies));
}

}  // namespace

class RedisAdapter final : public MemoryAdapter {
  // Callbacks that outlive the call that made them (NUMSUB answers, tasks
  // on loops, client acks) reach the adapter only through guarded(): after
  // close() they do nothing. Recursive: one may run inside another (a loop's
  // dispatch() runs at once on its own thread).
  struct Life {
    std::recursive_mutex mu;
    bool alive = true;
  };
  template <class F>
  auto guarded(F f) {
    return [life = life_, f = std::move(f)](auto&&... a) mutable {
      std::lock_guard lk(life->mu);
      if (life->alive) f(std::forward<decltype(a)>(a)...);
    };
  }

 public:
  RedisAdapter(const Context& ctx, std::shared_ptr<RedisCluster> cluster)
      : MemoryAdapter(ctx), cluster_(std::move(cluster)), uid_(random_id()),
        channels_(cluster_->options().key, ctx.nsp), book_(std::make_shared<Book>()) {
    Driver& d = cluster_->driver();
    cluster_->attach(this);
    d.psubscribe(channels_.broadcast_pattern());
    d.subscribe(channels_.request());
    d.subscribe(channels_.response());
    d.subscribe(channels_.specific_response(uid_));
  }
  ~RedisAdapter() override { close(); }

  void close() override {
    if (closed_) return;
    closed_ = true;
    // First no new messages (detach waits for one being dispatched), then
    // no callbacks (waits for one running now): in this order, as a
    // dispatch may run a callback while the cluster holds its lock.
    cluster_->detach(this);
    {
      std::lock_guard lk(life_->mu);
      life_->alive = false;
    }
    Driver& d = cluster_->driver();
    d.punsubscribe(channels_.broadcast_pattern());
    d.unsubscribe(channels_.request());
    d.unsubscribe(channels_.response());
    d.unsubscribe(channels_.specific_response(uid_));
  }

  // Routes one message of this namespace's channels; false when not ours.
  bool on_message(std::string_view channel, std::string_view payload) {
    if (channel == channels_.request()) {
      on_request(payload);
      return true;
    }
    if (channel.substr(0, channels_.response().size()) == channels_.response()) {
      on_response(payload);
      return true;
    }
    if (channels_.room_of(channel)) {
      on_broadcast(payload);
      return true;
    }
    return false;
  }

  // ---------------- operations ----------------

  void broadcast(BroadcastPacket packet, const BroadcastOptions& opts) override {
    packet.nsp = context().nsp;
    if (!opts.flags.local) {
      cl::BroadcastMessage m{uid_, to_cluster_packet(packet), to_cluster_options(opts)};
      m.packet.id.reset();
      publish(channels_.broadcast(m.opts.selector.rooms), cl::encode_broadcast(m));
    }
    MemoryAdapter::broadcast(std::move(packet), opts);
  }

  void broadcast_with_ack(BroadcastPacket packet, const BroadcastOptions& opts, CountFn on_client_count,
                          AckFn on_ack) override {
    packet.nsp = context().nsp;
    if (!opts.flags.local) {
      const std::string id = random_id();
      cl::BroadcastWithAckRequest r{uid_, id, to_cluster_packet(packet), to_cluster_options(opts)};
      r.packet.id.reset();  // each server numbers its own packets
      {
        std::lock_guard lk(book_->mu);
        book_->acks[id] = {on_client_count, on_ack};
      }
      publish(channels_.request(), cl::encode_request(r));
      // Nothing tells when every client has answered: forget the request
      // after the broadcast's timeout, as Node does.
      after(opts.flags.timeout.value_or(cluster_->options().requests_timeout), [book = book_, id] {
        std::lock_guard lk(book->mu);
        book->acks.erase(id);
      });
    }
    MemoryAdapter::broadcast_with_ack(std::move(packet), opts, std::move(on_client_count), std::move(on_ack));
  }

  void fetch_sockets(const BroadcastOptions& opts, FetchFn done) override {
    if (opts.flags.local) return MemoryAdapter::fetch_sockets(opts, std::move(done));
    server_count(guarded([this, opts, done = std::move(done)](std::size_t n) mutable {
      if (n <= 1) return MemoryAdapter::fetch_sockets(opts, std::move(done));
      auto p = std::make_shared<Pending>();
      p->type = cl::RequestType::remote_fetch;
      p->expected = n;
      p->fetch_done = std::move(done);
      const std::string id = start(p);
      publish(channels_.request(), cl::encode_request(cl::FetchSocketsRequest{uid_, id, to_selector(opts)}));
      MemoryAdapter::fetch_sockets(opts, [book = book_, id](std::error_code, std::vector<SocketInfo> mine) {
        answered(book, id, [&](Pending& q) {
          for (auto& s : mine) q.sockets.push_back(std::move(s));
        });
      });
    }));
  }

  void add_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) override {
    if (!opts.flags.local) {
      cl::RoomsRequest r;
      r.uid = uid_;
      r.opts = to_selector(opts);
      r.rooms = rooms;
      publish(channels_.request(), cl::encode_request(r));
    }
    MemoryAdapter::add_sockets(opts, std::move(rooms));
  }

  void del_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) override {
    if (!opts.flags.local) {
      cl::RoomsRequest r;
      r.type = cl::RequestType::remote_leave;
      r.uid = uid_;
      r.opts = to_selector(opts);
      r.rooms = rooms;
      publish(channels_.request(), cl::encode_request(r));
    }
    MemoryAdapter::del_sockets(opts, std::move(rooms));
  }

  void disconnect_sockets(const BroadcastOptions& opts, bool close_connection) override {
    if (!opts.flags.local) {
      cl::DisconnectRequest r;
      r.uid = uid_;
      r.opts = to_selector(opts);
      r.close = close_connection;
      publish(channels_.request(), cl::encode_request(r));
    }
    MemoryAdapter::disconnect_sockets(opts, close_connection);
  }

  void server_side_emit(const std::string& event, const Args& args, ServerSideAckFn ack) override {
    cl::ServerSideEmitRequest r{uid_, std::nullopt, {}, {}};
    r.data.emplace_back(json::string_view(event));
    for (const auto& a : args) {
      json::value v;
      to_cluster_value(a, v, r.attachments);
      r.data.push_back(std::move(v));
    }
    if (!ack) return publish(channels_.request(), cl::encode_request(r));
    server_count(guarded([this, r = std::move(r), ack = std::move(ack)](std::size_t n) mutable {
      if (n <= 1) return ack({}, {});  // nobody else
      auto p = std::make_shared<Pending>();
      p->type = cl::RequestType::server_side_emit;
      p->expected = n - 1;  // every server but this one
      p->emit_done = std::move(ack);
      r.request_id = start(p);
      publish(channels_.request(), cl::encode_request(r));
    }));
  }

  void server_count(CountFn done) override {
    // Answered once: by Redis, or after requests_timeout if Redis is there
    // but silent (e.g. stopped), so nothing that counts servers can hang.
    struct Once {
      std::atomic<bool> called{false};
      CountFn done;
    };
    auto once = std::make_shared<Once>();
    once->done = std::move(done);
    after(cluster_->options().requests_timeout, [once] {
      if (!once->called.exchange(true)) once->done(1);
    });
    cluster_->driver().numsub(channels_.request(), [once](std::error_code ec, std::uint64_t n) {
      // Redis unreachable: this server is the whole cluster it can reach.
      if (!once->called.exchange(true)) once->done(ec ? 1 : std::max<std::size_t>(1, static_cast<std::size_t>(n)));
    });
  }

 private:
  void publish(const std::string& channel, std::string payload) {
    cluster_->driver().publish(channel, std::move(payload));
  }

  // Runs `fn` after `d` on the first loop (timers live on loops).
  void after(std::chrono::milliseconds d, std::function<void()> fn) {
    const auto& loops = context().loops;
    if (loops.empty()) return;
    engine::Loop* loop = loops.front();
    loop->post([loop, d, fn = std::move(fn)]() mutable { loop->start_timer(d, std::move(fn)); });
  }

  // Registers `p` under a new request id, with its timeout.
  std::string start(const std::shared_ptr<Pending>& p) {
    const std::string id = random_id();
    {
      std::lock_guard lk(book_->mu);
      book_->requests[id] = p;
    }
    after(cluster_->options().requests_timeout, [book = book_, id] {
      std::shared_ptr<Pending> q;
      {
        std::lock_guard lk(book->mu);
        auto it = book->requests.find(id);
        if (it == book->requests.end()) return;
        q = std::move(it->second);
        book->requests.erase(it);
      }
      spdlog::warn("redis adapter: request {} timed out with {} of {} answers", id, q->received, q->expected);
      finish(q, make_error_code(errc::sio_remote_timeout));
    });
    return id;
  }

  // Counts one answer to request `id` (after `add` stores it); ends the
  // request when it was the last one expected.
  template <class F>
  static void answered(const std::shared_ptr<Book>& book, std::string_view id, F&& add) {
    std::shared_ptr<Pending> done;
    {
      std::lock_guard lk(book->mu);
      auto it = book->requests.find(id);
      if (it == book->requests.end()) return;
      add(*it->second);
      if (++it->second->received < it->second->expected) return;
      done = std::move(it->second);
      book->requests.erase(it);
    }
    finish(done, {});
  }

  // ---------------- incoming ----------------

  void on_broadcast(std::string_view payload) {
    std::error_code ec;
    auto m = cl::decode_broadcast(payload, ec);
    if (!m) return spdlog::debug("redis adapter: ignoring a malformed broadcast ({})", ec.message());
    if (m->uid == uid_ || m->packet.nsp != context().nsp) return;
    BroadcastOptions opts = from_cluster_options(m->opts);
    auto packet = from_cluster_packet(std::move(m->packet));
    if (!packet) return;
    packet->id.reset();
    MemoryAdapter::broadcast(std::move(*packet), opts);
  }

  void respond(const cl::Response& r) { publish(channels_.response(), cl::encode_response(r)); }

  void on_request(std::string_view payload) {
    std::error_code ec;
    auto req = cl::decode_request(payload, ec);
    if (!req) return spdlog::debug("redis adapter: ignoring a request ({})", ec.message());
    std::visit([this](auto& r) { handle(r); }, *req);
  }

  void handle(cl::SocketsRequest& r) {
    if (r.uid == uid_) return;
    BroadcastOptions o;
    o.rooms.insert(r.rooms.begin(), r.rooms.end());
    MemoryAdapter::fetch_sockets(o, guarded([this, id = r.request_id](std::error_code, std::vector<SocketInfo> mine) {
      cl::SocketIdsResponse resp{id, {}};
      for (auto& s : mine) resp.sockets.push_back(s.id);
      respond(resp);
    }));
  }

  void handle(cl::AllRoomsRequest& r) {
    if (r.uid == uid_) return;
    // Rooms with members: what the in-memory adapter's room map holds.
    MemoryAdapter::fetch_sockets({}, guarded([this, id = r.request_id](std::error_code, std::vector<SocketInfo> mine) {
      std::set<std::string> rooms;
      for (auto& s : mine) rooms.insert(s.rooms.begin(), s.rooms.end());
      respond(cl::AllRoomsResponse{id, {rooms.begin(), rooms.end()}});
    }));
  }

  void handle(cl::RoomsRequest& r) {
    if (!r.uid.empty() && r.uid == uid_) return;  // done locally already
    const bool join = r.type == cl::RequestType::remote_join;
    if (r.opts) {
      auto o = from_selector(*r.opts);
      return join ? MemoryAdapter::add_sockets(o, r.rooms) : MemoryAdapter::del_sockets(o, r.rooms);
    }
    BroadcastOptions o;  // legacy: one socket, one room
    o.rooms = {*r.sid};
    join ? MemoryAdapter::add_sockets(o, {*r.room}) : MemoryAdapter::del_sockets(o, {*r.room});
    if (r.request_id) respond(cl::EmptyResponse{*r.request_id});
  }

  void handle(cl::DisconnectRequest& r) {
    if (!r.uid.empty() && r.uid == uid_) return;
    if (r.opts) return MemoryAdapter::disconnect_sockets(from_selector(*r.opts), r.close);
    BroadcastOptions o;
    o.rooms = {*r.sid};
    MemoryAdapter::disconnect_sockets(o, r.close);
    if (r.request_id) respond(cl::EmptyResponse{*r.request_id});
  }

  void handle(cl::FetchSocketsRequest& r) {
    if (r.uid == uid_) return;
    MemoryAdapter::fetch_sockets(from_selector(r.opts), guarded([this, id = r.request_id](std::error_code,
                                                                                          std::vector<SocketInfo> mine) {
      cl::FetchSocketsResponse resp{id, {}};
      for (const auto& s : mine) resp.sockets.push_back(to_remote(s));
      respond(resp);
    }));
  }

  void handle(cl::ServerSideEmitRequest& r) {
    if (r.uid == uid_ || r.data.empty() || !r.data[0].is_string()) return;
    const auto& on_emit = context().on_server_side_emit;
    if (!on_emit) return;
    const std::string event(r.data[0].get_string());
    Args args = wire::socketio::to_args(std::move(r.data), {}, 1);
    if (!r.request_id) return on_emit(event, args, nullptr);
    // Only the first answer counts, and only its first argument (Node's
    // callback takes one).
    auto called = std::make_shared<std::atomic<bool>>(false);
    on_emit(event, args, guarded([this, id = *r.request_id, called](Args reply) {
      if (called->exchange(true)) return;
      cl::ServerSideEmitResponse resp{id, nullptr, {}};
      if (!reply.empty()) to_cluster_value(reply.front(), resp.data, resp.attachments);
      respond(resp);
    }));
  }

  void handle(cl::BroadcastWithAckRequest& r) {
    {
      std::lock_guard lk(book_->mu);
      if (book_->acks.count(r.request_id)) return;  // our own
    }
    auto packet = from_cluster_packet(std::move(r.packet));
    if (!packet) return;
    packet->id = next_ack_id_++;
    const std::string id = r.request_id;
    MemoryAdapter::broadcast_with_ack(
        std::move(*packet), from_cluster_options(r.opts),
        guarded([this, id](std::size_t n) { respond(cl::ClientCountResponse{id, n}); }),
        guarded([this, id](Args reply) {
          cl::BroadcastAckResponse resp{id, nullptr, {}};
          if (!reply.empty()) to_cluster_value(reply.front(), resp.packet, resp.attachments);
          respond(resp);
        }));
  }

  void on_response(std::string_view payload) {
    std::error_code ec;
    auto lookup = [this](std::string_view id) -> std::optional<cl::RequestType> {
      std::lock_guard lk(book_->mu);
      if (book_->acks.find(id) != book_->acks.end()) return cl::RequestType::broadcast;
      if (auto it = book_->requests.find(id); it != book_->requests.end()) return it->second->type;
      return std::nullopt;
    };
    auto resp = cl::decode_response(payload, lookup, ec);
    if (!resp) return;
    std::visit([this](auto& r) { handle_response(r); }, *resp);
  }

  void handle_response(cl::ClientCountResponse& r) {
    CountFn f;
    {
      std::lock_guard lk(book_->mu);
      auto it = book_->acks.find(r.request_id);
      if (it == book_->acks.end()) return;
      f = it->second.count;
    }
    f(static_cast<std::size_t>(r.client_count));
  }
  void handle_response(cl::BroadcastAckResponse& r) {
    AckFn f;
    {
      std::lock_guard lk(book_->mu);
      auto it = book_->acks.find(r.request_id);
      if (it == book_->acks.end()) return;
      f = it->second.ack;
    }
    f(Args{from_cluster_value(std::move(r.packet), std::move(r.attachments))});
  }
  void handle_response(cl::FetchSocketsResponse& r) {
    answered(book_, r.request_id, [&](Pending& p) {
      for (auto& s : r.sockets) p.sockets.push_back(from_remote(std::move(s)));
    });
  }
  void handle_response(cl::ServerSideEmitResponse& r) {
    answered(book_, r.request_id, [&](Pending& p) {
      p.replies.push_back(Args{from_cluster_value(std::move(r.data), std::move(r.attachments))});
    });
  }
  // Answers to requests we never send (SOCKETS, ALL_ROOMS, legacy forms).
  template <class R>
  void handle_response(R&) {}

  std::shared_ptr<RedisCluster> cluster_;
  std::string uid_;
  cl::Channels channels_;
  std::shared_ptr<Book> book_;
  std::shared_ptr<Life> life_ = std::make_shared<Life>();
  bool closed_ = false;
  // Ack ids for broadcasts other servers ask for. The namespace numbers its
  // own packets from 0; these start far above (2^52), below kMaxAckId.
  std::atomic<std::uint64_t> next_ack_id_{std::uint64_t{1} << 52};
};

// ---------------- RedisCluster ----------------

RedisCluster::RedisCluster(std::shared_ptr<Driver> driver, RedisAdapterOptions options)
    : driver_(std::move(driver)), options_(std::move(options)) {}

RedisCluster::~RedisCluster() {
  {
    std::lock_guard lk(gate_->mu);
    gate_->cluster = nullptr;
  }
  driver_->stop();
}

std::shared_ptr<RedisCluster> RedisCluster::create(std::shared_ptr<Driver> driver, RedisAdapterOptions options) {
  std::shared_ptr<RedisCluster> c(new RedisCluster(std::move(driver), std::move(options)));
  c->gate_->cluster = c.get();
  c->driver_->start({[gate = c->gate_](std::string_view channel, std::string_view payload) {
                       std::lock_guard lk(gate->mu);
                       if (gate->cluster) gate->cluster->on_message(channel, payload);
                     },
                     [](bool) {}});
  return c;
}

AdapterFactory RedisCluster::factory() {
  return [self = shared_from_this()](const Context& ctx) { return make_redis_adapter(ctx, self); };
}

void RedisCluster::attach(RedisAdapter* a) {
  std::lock_guard lk(mu_);
  adapters_.push_back(a);
}

void RedisCluster::detach(RedisAdapter* a) {
  std::lock_guard lk(mu_);
  adapters_.erase(std::remove(adapters_.begin(), adapters_.end(), a), adapters_.end());
}

void RedisCluster::on_message(std::string_view channel, std::string_view payload) {
  std::lock_guard lk(mu_);
  for (RedisAdapter* a : adapters_)
    if (a->on_message(channel, payload)) return;
}

std::unique_ptr<Adapter> make_redis_adapter(const Context& ctx, std::shared_ptr<RedisCluster> cluster) {
  return std::make_unique<RedisAdapter>(ctx, std::move(cluster));
}

}  // namespace sio::adapter::redis
