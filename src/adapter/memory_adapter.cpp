#include "adapter/memory_adapter.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "wire/sio_args.hpp"

namespace sio::adapter {

namespace sp = wire::socketio;

MemoryAdapter::MemoryAdapter(Context ctx) : ctx_(std::move(ctx)) {
  shards_.reserve(ctx_.loops.size());
  for (std::size_t i = 0; i < ctx_.loops.size(); ++i) shards_.push_back(std::make_unique<Shard>());
}

void MemoryAdapter::enable_recovery() {
  if (!ctx_.recovery.enabled || store_) return;
  store_ = std::make_shared<SessionStore>(ctx_.recovery, ctx_.clock);
  if (ctx_.loops.empty()) return;
  // Swept on every use, and by a timer on the first loop too, so that an idle
  // namespace lets go of what expired (every 60 s as socket.io, or every
  // duration when that is shorter).
  using std::chrono::milliseconds;
  const auto period = std::clamp(ctx_.recovery.max_disconnection_duration, milliseconds(1000), milliseconds(60000));
  engine::Loop* loop = ctx_.loops.front();
  auto tick = std::make_shared<std::function<void()>>();
  *tick = [loop, period, weak = std::weak_ptr<SessionStore>(store_),
           weak_tick = std::weak_ptr<std::function<void()>>(tick)] {
    auto store = weak.lock();
    auto again = weak_tick.lock();
    if (!store || !again) return;
    store->sweep();
    loop->start_timer(period, [again] { (*again)(); });
  };
  sweep_tick_ = tick;
  loop->post([loop, period, tick] { loop->start_timer(period, [tick] { (*tick)(); }); });
}

std::shared_ptr<const sp::Encoded> MemoryAdapter::encode(BroadcastPacket& packet,
                                                         const std::shared_ptr<const BroadcastOptions>& opts) {
  if (!store_ || packet.id || opts->flags.volatile_) {
    return std::make_shared<const sp::Encoded>(sp::encode_event(ctx_.nsp, packet.event, packet.args, packet.id));
  }
  std::string offset = store_->next_offset();
  packet.args.emplace_back(boost::json::value(offset));
  auto bytes = std::make_shared<const sp::Encoded>(sp::encode_event(ctx_.nsp, packet.event, packet.args, packet.id));
  store_->append(std::move(offset), bytes, opts);
  return bytes;
}

void MemoryAdapter::persist_session(Session s) {
  if (store_) store_->persist(std::move(s));
}

void MemoryAdapter::restore_session(const std::string& pid, const std::string& offset, RestoreFn done) {
  done(store_ ? store_->restore(pid, offset) : std::nullopt);
}

void MemoryAdapter::emit_to(std::size_t loop, const std::shared_ptr<const BroadcastOptions>& self,
                            BroadcastPacket packet) {
  packet.nsp = ctx_.nsp;
  auto bytes = encode(packet, self);
  // The socket is on `loop`, the calling thread: no other shard can hold it.
  shards_.at(loop)->apply(*self, [&](Member& m) { m.deliver(packet, *bytes, self->flags); });
}

template <class F>
void MemoryAdapter::each_shard(F fn) {
  for (std::size_t i = 0; i < shards_.size(); ++i) ctx_.loops[i]->dispatch([this, i, fn] { fn(*shards_[i]); });
}

void MemoryAdapter::add(std::size_t loop, Member& m) { shards_.at(loop)->add(m); }
void MemoryAdapter::remove(std::size_t loop, const SocketId& id) { shards_.at(loop)->remove(id); }
void MemoryAdapter::join(std::size_t loop, const SocketId& id, const std::vector<Room>& rooms) {
  shards_.at(loop)->join(id, rooms);
}
void MemoryAdapter::leave(std::size_t loop, const SocketId& id, const Room& room) {
  shards_.at(loop)->leave(id, room);
}
std::set<Room> MemoryAdapter::rooms_of(std::size_t loop, const SocketId& id) const {
  return shards_.at(loop)->rooms_of(id);
}

void MemoryAdapter::broadcast(BroadcastPacket packet, const BroadcastOptions& opts) {
  packet.nsp = ctx_.nsp;
  auto o = std::make_shared<const BroadcastOptions>(opts);
  auto bytes = encode(packet, o);
  auto pkt = std::make_shared<const BroadcastPacket>(std::move(packet));
  each_shard([bytes, pkt, o](Shard& s) {
    s.apply(*o, [&](Member& m) { m.deliver(*pkt, *bytes, o->flags); });
  });
}

void MemoryAdapter::broadcast_with_ack(BroadcastPacket packet, const BroadcastOptions& opts, CountFn on_client_count,
                                       AckFn on_ack) {
  packet.nsp = ctx_.nsp;
  auto bytes = std::make_shared<const sp::Encoded>(sp::encode_event(ctx_.nsp, packet.event, packet.args, packet.id));
  auto pkt = std::make_shared<const BroadcastPacket>(std::move(packet));
  auto o = std::make_shared<const BroadcastOptions>(opts);
  // This server is one answer to the caller: the clients of every shard, summed.
  struct Count {
    std::atomic<std::size_t> shards_left;
    std::atomic<std::size_t> clients{0};
    CountFn done;
  };
  auto count = std::make_shared<Count>();
  count->shards_left = shards_.size();
  count->done = std::move(on_client_count);
  auto ack = std::make_shared<const AckFn>(std::move(on_ack));
  each_shard([bytes, pkt, o, count, ack](Shard& s) {
    const std::size_t n = s.apply(*o, [&](Member& m) {
      m.deliver_with_ack(*pkt, *bytes, o->flags, [ack](Args reply) { (*ack)(std::move(reply)); });
    });
    count->clients += n;
    if (count->shards_left.fetch_sub(1) == 1) count->done(count->clients.load());
  });
}

void MemoryAdapter::fetch_sockets(const BroadcastOptions& opts, FetchFn done) {
  struct Gather {
    std::mutex mu;
    std::vector<SocketInfo> all;
    std::size_t shards_left;
    FetchFn done;
  };
  auto g = std::make_shared<Gather>();
  g->shards_left = shards_.size();
  g->done = std::move(done);
  auto o = std::make_shared<const BroadcastOptions>(opts);
  each_shard([g, o](Shard& s) {
    std::vector<SocketInfo> mine;
    s.apply(*o, [&](Member& m) { mine.push_back(m.info()); });
    bool last = false;
    {
      std::lock_guard lock(g->mu);
      for (auto& i : mine) g->all.push_back(std::move(i));
      last = --g->shards_left == 0;
    }
    if (last) g->done({}, std::move(g->all));
  });
}

void MemoryAdapter::add_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) {
  auto o = std::make_shared<const BroadcastOptions>(opts);
  auto r = std::make_shared<const std::vector<Room>>(std::move(rooms));
  each_shard([o, r](Shard& s) {
    for (Member* m : s.select(*o)) s.join(m->id(), *r);
  });
}

void MemoryAdapter::del_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) {
  auto o = std::make_shared<const BroadcastOptions>(opts);
  auto r = std::make_shared<const std::vector<Room>>(std::move(rooms));
  each_shard([o, r](Shard& s) {
    for (Member* m : s.select(*o))
      for (const auto& room : *r) s.leave(m->id(), room);
  });
}

void MemoryAdapter::disconnect_sockets(const BroadcastOptions& opts, bool close_connection) {
  auto o = std::make_shared<const BroadcastOptions>(opts);
  each_shard([o, close_connection](Shard& s) { s.apply(*o, [&](Member& m) { m.disconnect(close_connection); }); });
}

void MemoryAdapter::server_side_emit(const std::string&, const Args&, ServerSideAckFn ack) {
  if (ack) ack({}, {});
}

void MemoryAdapter::server_count(CountFn done) { done(1); }

std::unique_ptr<Adapter> make_memory_adapter(const Context& ctx) {
  auto a = std::make_unique<MemoryAdapter>(ctx);
  a->enable_recovery();
  return a;
}

}  // namespace sio::adapter
