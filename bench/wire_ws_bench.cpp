// WebSocket frame codec throughput: parsing (server role: unmask + UTF-8
// check), masking, and UTF-8 validation alone.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "wire/utf8.hpp"
#include "wire/ws_frame.hpp"

namespace {

using namespace sio::wire;

struct Sink {
  std::size_t bytes = 0;
  void on_message(ws::Opcode, std::string_view p) { bytes += p.size(); }
  void on_ping(std::string_view) {}
  void on_pong(std::string_view) {}
  void on_close(std::uint16_t, std::string_view) {}
};

// Many frames of `size` bytes in one read, parsed by a server parser.
void BM_ParseServerText(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::string frame = ws::encode_frame<ws::Role::client>(ws::Opcode::text, std::string(size, 'a'));
  std::string stream;
  while (stream.size() < (1u << 20)) stream += frame;
  std::string work = stream;
  ws::Parser<ws::Role::server> parser(16u << 20);
  Sink sink;
  for (auto _ : state) {
    work.assign(stream);  // the parser unmasks in place
    benchmark::DoNotOptimize(parser.consume(std::span<char>(work), sink));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_ParseServerText)->Arg(16)->Arg(128)->Arg(4096)->Arg(65536);

// One large message arriving in 16 KiB reads (the buffered path).
void BM_ParseServerChunked(benchmark::State& state) {
  const std::string frame = ws::encode_frame<ws::Role::client>(ws::Opcode::text, std::string(4u << 20, 'b'));
  std::string work;
  for (auto _ : state) {
    work.assign(frame);
    ws::Parser<ws::Role::server> parser(16u << 20);
    Sink sink;
    std::size_t off = 0, pending = 0;
    while (off < work.size()) {
      const std::size_t n = std::min<std::size_t>(16384, work.size() - off);
      // Unconsumed bytes (a partial header) stay in front of the next read.
      const std::size_t start = off - pending;
      const std::size_t used = parser.consume(std::span<char>(work.data() + start, pending + n), sink);
      pending = pending + n - used;
      off += n;
    }
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_ParseServerChunked);

void BM_ApplyMask(benchmark::State& state) {
  std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    ws::apply_mask(data.data(), data.size(), 0x12345678, 1);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_ApplyMask)->Arg(64)->Arg(65536);

void BM_Utf8(benchmark::State& state) {
  std::string text;
  const char* piece = state.range(0) == 0 ? "plain ascii json {\"k\":1} " : "κόσμε ünïcødé 😀 текст ";
  while (text.size() < 65536) text += piece;
  for (auto _ : state) benchmark::DoNotOptimize(is_valid_utf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Utf8)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
