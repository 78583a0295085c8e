// Wire codec costs per packet kind, with heap allocations per operation:
// Engine.IO text packets and polling payloads, Socket.IO packets (decode and
// encode, each kind), and the server's emit path (arguments -> one
// Engine.IO-ready buffer).
#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "common/alloc_counter.hpp"
#include "wire/eio_packet.hpp"
#include "wire/sio_args.hpp"
#include "wire/sio_packet.hpp"

namespace {

using namespace sio::wire;
using sio::bench::allocs;
using sio::bench::allocs_per_op;

const std::string kText32 = "abcdefghijklmnopqrstuvwxyz012345";  // a 32-byte string argument

// ---- Engine.IO ----

void BM_EioDecodeText(benchmark::State& state) {
  const std::string in = "42[\"echo\",1,\"" + kText32 + "\"]";
  const auto before = allocs();
  for (auto _ : state) {
    eio::Packet p;
    benchmark::DoNotOptimize(eio::decode_text(in, p));
    benchmark::DoNotOptimize(p.data.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}
BENCHMARK(BM_EioDecodeText);

void BM_EioEncodeText(benchmark::State& state) {
  const std::string data = "2[\"echo\",1,\"" + kText32 + "\"]";
  std::string out;
  out.reserve(256);
  const auto before = allocs();
  for (auto _ : state) {
    out.clear();
    eio::append_text(out, eio::PacketType::message, data);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}
BENCHMARK(BM_EioEncodeText);

// A polling body of 16 message packets (one binary, base64).
std::string polling_body() {
  std::string body;
  for (int i = 0; i < 15; ++i) eio::append_polling(body, "42[\"echo\"," + std::to_string(i) + ",\"" + kText32 + "\"]", false);
  eio::append_polling(body, std::string(32, '\x7f'), true);
  return body;
}

void BM_EioDecodePayload16(benchmark::State& state) {
  const std::string body = polling_body();
  std::string scratch;
  std::size_t n = 0;
  const auto before = allocs();
  for (auto _ : state) {
    benchmark::DoNotOptimize(eio::decode_payload(body, scratch, [&](const eio::Packet& p) { n += p.data.size(); }));
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 16);
}
BENCHMARK(BM_EioDecodePayload16);

void BM_EioEncodePayload16(benchmark::State& state) {
  std::vector<std::string> packets;
  for (int i = 0; i < 16; ++i) packets.push_back("42[\"echo\"," + std::to_string(i) + ",\"" + kText32 + "\"]");
  std::string out;
  out.reserve(2048);
  const auto before = allocs();
  for (auto _ : state) {
    out.clear();
    for (const auto& p : packets) eio::append_polling(out, p, false);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 16);
}
BENCHMARK(BM_EioEncodePayload16);

// ---- Socket.IO: one packet of each kind ----

struct Sample {
  const char* name;
  std::string text;                // the Socket.IO packet (no Engine.IO "4")
  std::vector<std::string> blobs;  // binary attachments that follow it
};

std::vector<Sample> samples() {
  return {
      {"connect", "0", {}},
      {"connect_nsp_auth", "0/admin,{\"token\":\"abc123\"}", {}},
      {"disconnect", "1", {}},
      {"event", "2[\"echo\",1,\"" + kText32 + "\"]", {}},
      {"event_ack_id", "212[\"echo\",1,\"" + kText32 + "\"]", {}},
      {"event_object", "2[\"chat\",{\"user\":\"ada\",\"text\":\"" + kText32 + "\",\"ts\":1700000000000,\"tags\":[\"a\",\"b\"]}]", {}},
      {"ack", "312[\"ok\",42]", {}},
      {"connect_error", "4{\"message\":\"not authorized\",\"data\":{\"code\":401}}", {}},
      {"binary_event", "51-[\"upload\",{\"_placeholder\":true,\"num\":0}]", {std::string(1024, '\x01')}},
      {"binary_ack", "61-12[{\"_placeholder\":true,\"num\":0}]", {std::string(64, '\x02')}},
  };
}

void decode_sample(benchmark::State& state, const Sample& s) {
  socketio::Decoder dec;
  std::optional<socketio::Packet> out;
  const auto before = allocs();
  for (auto _ : state) {
    out.reset();
    auto ec = dec.feed(s.text, false, out);
    for (const auto& b : s.blobs) ec = dec.feed(b, true, out);
    if (ec || !out) state.SkipWithError("did not decode");
    benchmark::DoNotOptimize(out);
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}

void encode_sample(benchmark::State& state, const Sample& s) {
  socketio::Decoder dec;
  std::optional<socketio::Packet> packet;
  auto ec = dec.feed(s.text, false, packet);
  for (const auto& b : s.blobs) ec = dec.feed(b, true, packet);
  if (ec || !packet) {
    state.SkipWithError("sample did not decode");
    return;
  }
  const auto before = allocs();
  for (auto _ : state) {
    socketio::Encoded e = socketio::encode(*packet);
    benchmark::DoNotOptimize(e.text.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}

// The server's emit path: arguments -> "42[...]" in one buffer.
void BM_EncodeEventArgs(benchmark::State& state) {
  sio::Args args;
  args.emplace_back(1);
  args.emplace_back(kText32);
  const auto before = allocs();
  for (auto _ : state) {
    socketio::Encoded e = socketio::encode_event("/", "echo", args, std::nullopt);
    benchmark::DoNotOptimize(e.text.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}
BENCHMARK(BM_EncodeEventArgs);

// Decoded packet -> handler arguments (what an incoming event costs before the handler runs).
void BM_DecodeEventToArgs(benchmark::State& state) {
  const std::string text = "2[\"echo\",1,\"" + kText32 + "\"]";
  socketio::Decoder dec;
  const auto before = allocs();
  for (auto _ : state) {
    std::optional<socketio::Packet> out;
    (void)dec.feed(text, false, out);
    auto& ev = std::get<socketio::Event>(*out);
    sio::Args args = socketio::to_args(std::move(ev.data), std::move(ev.attachments), 1);
    benchmark::DoNotOptimize(args.data());
  }
  state.counters["allocs/op"] = allocs_per_op(before, state);
}
BENCHMARK(BM_DecodeEventToArgs);

const bool registered = [] {
  static const std::vector<Sample> all = samples();
  for (const Sample& s : all) {
    benchmark::RegisterBenchmark((std::string("BM_SioDecode/") + s.name).c_str(), decode_sample, s);
    benchmark::RegisterBenchmark((std::string("BM_SioEncode/") + s.name).c_str(), encode_sample, s);
  }
  return true;
}();

}  // namespace
