// An adapter::Member that records what the adapter asks of it.
#pragma once

#include <string>
#include <vector>

#include "adapter/adapter.hpp"
#include "adapter/fake_loop.hpp"

namespace sio::test {

class FakeMember final : public adapter::Member {
 public:
  FakeMember(std::string id, FakeLoop& loop) : id_(std::move(id)), loop_(loop) {}

  const std::string& id() const override { return id_; }
  void deliver(const adapter::BroadcastPacket& p, const wire::socketio::Encoded& bytes,
               const BroadcastFlags& flags) override {
    record(p, bytes, flags);
  }
  void deliver_with_ack(const adapter::BroadcastPacket& p, const wire::socketio::Encoded& bytes,
                        const BroadcastFlags& flags, adapter::AckFn on_ack) override {
    record(p, bytes, flags);
    acks.push_back(std::move(on_ack));
  }
  SocketInfo info() const override {
    ++info_calls;
    SocketInfo i;
    i.id = id_;
    i.data = boost::json::value(id_ + "-data");
    return i;
  }
  void disconnect(bool close) override { disconnects.push_back(close); }

  struct Delivery {
    std::string event;
    wire::socketio::Encoded bytes;
    BroadcastFlags flags;
    bool on_own_loop;
  };
  std::vector<Delivery> delivered;
  std::vector<adapter::AckFn> acks;
  std::vector<bool> disconnects;
  mutable int info_calls = 0;

 private:
  void record(const adapter::BroadcastPacket& p, const wire::socketio::Encoded& bytes, const BroadcastFlags& flags) {
    delivered.push_back({p.event, bytes, flags, loop_.in_loop_thread()});
  }
  std::string id_;
  FakeLoop& loop_;
};

}  // namespace sio::test
