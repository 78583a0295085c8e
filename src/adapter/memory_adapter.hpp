// The in-memory adapter (socket.io-adapter's Adapter), one shard per event
// loop: each shard holds the rooms of the sockets on its loop, and a
// namespace-wide operation is posted to every loop, where the shard serves its
// own sockets. A broadcast is encoded once, before it is posted, and every
// recipient on every loop queues the same shared bytes (principle 7).
//
// With recovery on (Context::recovery), it is socket.io's SessionAwareAdapter
// too: broadcasts without ack and not volatile get an offset as their last
// argument, are encoded once with it and kept in a SessionStore; sessions are
// kept there and restored with the packets they missed.
//
// A cluster adapter extends this one: these methods are its local half.
#pragma once

#include <memory>
#include <vector>

#include "adapter/adapter.hpp"
#include "adapter/session_store.hpp"
#include "adapter/shard.hpp"

namespace sio::adapter {

class MemoryAdapter : public Adapter {
 public:
  explicit MemoryAdapter(Context ctx);

  // Becomes session-aware when the context's recovery is on (what
  // make_memory_adapter does; a subclass that cannot recover across its
  // cluster leaves it off).
  void enable_recovery();

  void add(std::size_t loop, Member& m) override;
  void remove(std::size_t loop, const SocketId& id) override;
  void join(std::size_t loop, const SocketId& id, const std::vector<Room>& rooms) override;
  void leave(std::size_t loop, const SocketId& id, const Room& room) override;
  std::set<Room> rooms_of(std::size_t loop, const SocketId& id) const override;

  void broadcast(BroadcastPacket packet, const BroadcastOptions& opts) override;
  void broadcast_with_ack(BroadcastPacket packet, const BroadcastOptions& opts, CountFn on_client_count,
                          AckFn on_ack) override;
  void fetch_sockets(const BroadcastOptions& opts, FetchFn done) override;
  void add_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) override;
  void del_sockets(const BroadcastOptions& opts, std::vector<Room> rooms) override;
  void disconnect_sockets(const BroadcastOptions& opts, bool close_connection) override;
  // One server: nobody else to tell; an ack gets no replies at once.
  void server_side_emit(const std::string& event, const Args& args, ServerSideAckFn ack) override;
  void server_count(CountFn done) override;

  bool recovers() const override { return store_ != nullptr; }
  void persist_session(Session s) override;
  void restore_session(const std::string& pid, const std::string& offset, RestoreFn done) override;
  void emit_to(std::size_t loop, const std::shared_ptr<const BroadcastOptions>& self, BroadcastPacket packet) override;
  // Null unless recovery is on; for tests and stats.
  const SessionStore* store() const { return store_.get(); }

  const Context& context() const { return ctx_; }
  // For tests and stats; loop thread `loop` only.
  const Shard& shard(std::size_t loop) const { return *shards_.at(loop); }

 private:
  // Runs `fn(shard)` on every loop (at once for the calling loop's shard).
  template <class F>
  void each_shard(F fn);

  // With recovery on and the packet storable: its offset appended, encoded,
  // kept. Else just encoded.
  std::shared_ptr<const wire::socketio::Encoded> encode(BroadcastPacket& packet,
                                                        const std::shared_ptr<const BroadcastOptions>& opts);

  Context ctx_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::shared_ptr<SessionStore> store_;  // recovery on only
  std::shared_ptr<std::function<void()>> sweep_tick_;  // the sweep timer's task: gone with the adapter
};

std::unique_ptr<Adapter> make_memory_adapter(const Context& ctx);

}  // namespace sio::adapter
