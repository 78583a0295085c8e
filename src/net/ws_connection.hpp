// A server-side WebSocket connection on a TCP socket, after the HTTP upgrade.
// Framing is our own codec (wire/ws_frame.hpp). Two properties matter for
// performance:
//  - idle sockets hold no buffers and no pending operation: the socket sits in
//    its loop's edge-triggered epoll set (net/fd_poller.hpp) and, when ready,
//    reads into the loop's shared buffer; only an incomplete frame header
//    (< 14 bytes, kept in a small string) or an incomplete message stays behind;
//  - every frame queued during one loop turn goes out in one writev, tried at
//    once without waiting; only what the kernel does not take is kept.
// And two for safety, against a peer that does not read:
//  - the output cap counts what the queue really holds (see Limits), and an
//    unanswered ping's pong is replaced by the next one, never queued twice;
//  - a long backlog is written a bounded share at a time (see flush()), so the
//    loop's other sockets run in between.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "engine/inbound_budget.hpp"
#include "net/loop.hpp"
#include "net/tls_channel.hpp"
#include "wire/shared_bytes.hpp"
#include "wire/ws_frame.hpp"

namespace sio::net {

class WsConnection final : public std::enable_shared_from_this<WsConnection>, private FdPoller::Watcher {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void on_ws_message(std::string_view data, bool binary) = 0;
    // The connection is gone. `code`: the peer's close code (1005 none,
    // 1006 dropped); `ec`: set when we failed it (protocol violation, I/O
    // error, output limit).
    virtual void on_ws_closed(std::uint16_t code, std::error_code ec) = 0;
  };

  struct Limits {
    std::size_t max_message = 1u << 20;      // larger messages close with 1009
    // Output past this closes the connection (1008, errc::eio_slow_consumer).
    // What counts (queued_cost()): the unsent frame bytes (headers and
    // payloads), the queue's slots (its capacity x sizeof(Out), 24 B; checked
    // before the queue grows, so a doubling cannot overshoot), and for each
    // queued frame its payload's allocation overhead (kAllocOverhead, 32 B).
    // A payload shared with other queues (a broadcast) is counted whole in
    // each, as its bytes always were: a queue cannot tell when the others
    // let go of it.
    std::size_t max_buffered = 16u << 20;
    // Once closing (our close, the peer's close, or a failure), the connection
    // ends within this time even if the peer reads nothing (3 s: a peer that
    // is reading answers a close within milliseconds).
    std::chrono::milliseconds close_grace{3000};
    // The server-wide budget of inbound bytes (engine::InboundBudget): a
    // message arriving in pieces holds its buffer against it, and a
    // connection whose message would pass it is closed with 1013 (try again
    // later, errc::http_server_busy). None: per-connection bound only.
    engine::InboundBudget* inbound = nullptr;
  };

  // Bytes of heap a queued payload's own allocation costs beyond its bytes:
  // SharedBytes' block header (16 B) and malloc's chunk header and rounding
  // (~16 B).
  static constexpr std::size_t kAllocOverhead = 32;
  static constexpr std::size_t kSlotSize = 24;  // sizeof(Out), asserted below it

  // Takes the socket out of Asio's reactor (it is ours from now on). The
  // creator has set TCP_NODELAY. `tls`: the connection's TLS channel, its
  // handshake done (an upgrade over https), or none (plain TCP).
  WsConnection(AsioLoop& loop, boost::asio::ip::tcp::socket socket, Limits limits,
               std::unique_ptr<TlsChannel> tls = nullptr);
  ~WsConnection();

  // Starts reading. `leftover`: bytes already read past the HTTP request.
  // `preamble`: raw bytes to write first (the 101 response).
  void start(Handler* handler, std::string_view leftover, wire::SharedBytes preamble = {});
  // The bytes that came with the upgrade request, read as though from the
  // socket: after start(), in the same loop turn (before any read of its own).
  void feed(std::string_view leftover);
  // Stops calling the handler (its owner is going away).
  void detach() noexcept { handler_ = nullptr; }
  // Hands the connection's events to another handler (a probe that becomes
  // the session's transport). No-op once the connection is closing.
  void set_handler(Handler* h) noexcept {
    if (handler_) handler_ = h;
  }

  // Queues a whole message (text or binary); sent at the end of this loop turn.
  void send(const wire::SharedBytes& payload, bool binary);
  void send_text(std::string_view s) { send(wire::SharedBytes::copy_of(s), false); }
  // Queues a ping (the peer answers with a pong).
  void ping() {
    if (state_ == State::open) queue(wire::ws::Opcode::ping, {});
  }
  // Starts the closing handshake with `code` (then the TCP connection closes).
  void close(std::uint16_t code = wire::ws::close_code::normal, std::string_view reason = {});
  // Drops the connection now.
  void abort();

  bool open() const noexcept { return state_ == State::open; }
  // Nothing waits to be written.
  bool writable() const noexcept { return open() && queued_bytes_ == 0 && (!tls_ || tls_->out.empty()); }
  std::size_t queued_bytes() const noexcept { return queued_bytes_; }
  // What the output queue costs, as checked against Limits::max_buffered.
  std::size_t queued_cost() const noexcept {
    return queued_bytes_ + out_.capacity() * kSlotSize + (out_.size() - out_head_) * kAllocOverhead;
  }
  // Did bytes arrive since the last call? (For a keep-alive.)
  bool take_activity() noexcept { return std::exchange(active_, false); }
  // A message or a frame header has begun arriving and is not whole yet.
  bool receiving() const noexcept { return partial_len_ != 0 || parser_.in_message(); }
  AsioLoop& loop() noexcept { return loop_; }

  // Parser callbacks (wire::ws::Parser's handler interface).
  void on_message(wire::ws::Opcode op, std::string_view payload);
  void on_ping(std::string_view payload);
  void on_pong(std::string_view payload) {}
  void on_close(std::uint16_t code, std::string_view reason);

 private:
  enum class State : std::uint8_t { open, closing, closed };
  struct Out {
    char header[wire::ws::max_header_size];
    std::uint8_t header_len = 0;  // 0: raw bytes (the 101 preamble), not a frame
    wire::SharedBytes payload;
    std::size_t size() const noexcept { return header_len + payload.size(); }
  };
  static_assert(sizeof(Out) == kSlotSize);
  static constexpr std::size_t kNoPong = static_cast<std::size_t>(-1);

  void queue(wire::ws::Opcode op, wire::SharedBytes payload);
  void queue_raw(wire::SharedBytes bytes);
  void push(Out o);
  // queued_cost() once `o` is queued (the queue compacted or grown first).
  std::size_t cost_with(const Out& o) const noexcept;
  void compact() noexcept;  // drops the written frames at the front
  bool pong_replaceable() const noexcept;
  std::size_t drop_written(std::size_t written);  // returns the frames completed
  void drop_unstarted();
  void release_queue() noexcept;
  void schedule_flush();
  void flush();
  // TLS: the queue's frames are encrypted a bounded batch at a time
  // (kTlsBatch) into tls_out_, which is written before the next batch.
  void flush_tls();
  bool send_tls_out();  // false: the kernel took not all of it
  void on_io(std::uint32_t events) override;
  void on_readable(bool to_the_end);
  // TLS: reads ciphertext into the thread's scratch, decrypts into the loop's buffer.
  void on_readable_tls(bool to_the_end);
  // Hands plaintext (buf[0, total), the partial header first) to the parser; false when done reading.
  bool consume_read(std::span<char> data);
  bool keep_partial(const char* p, std::size_t n);
  // Holds what the parser buffers against the inbound budget; false (and
  // failed with 1013) when the budget refuses.
  bool hold_inbound();
  void release_inbound() noexcept;
  void fail(std::uint16_t close_code, std::error_code ec);
  void begin_closing();
  void close_socket() noexcept;  // leaves the poller's set and closes the fd
  void finish(std::uint16_t code, std::error_code ec);
  void shutdown_when_flushed();

  AsioLoop& loop_;
  int fd_ = -1;                  // the TCP socket (closed by finish)
  FdPoller::Token token_ = 0;    // its registration in the loop's poller
  std::size_t max_buffered_;
  std::chrono::milliseconds close_grace_;
  Handler* handler_ = nullptr;
  engine::InboundBudget* inbound_;
  std::size_t inbound_held_ = 0;  // reserved in inbound_ for the parser's buffer
  wire::ws::Parser<wire::ws::Role::server> parser_;
  // An incomplete frame header between reads (the parser takes everything
  // else, payloads included): a few bytes inline, no heap.
  char partial_[wire::ws::max_header_size];
  std::uint8_t partial_len_ = 0;
  // Queued frames, oldest first, from out_[out_head_]; written ones before it
  // are compacted away in bulk (no per-write shifting of a long queue).
  std::vector<Out> out_;
  std::size_t out_head_ = 0;
  std::size_t out_offset_ = 0;      // bytes of out_[out_head_] already written
  std::size_t queued_bytes_ = 0;    // unsent bytes
  std::size_t pong_at_ = kNoPong;   // index in out_ of the last pong queued
  engine::Loop::TimerId close_timer_ = 0;
  State state_ = State::open;
  bool flush_scheduled_ = false;
  bool waiting_write_ = false;
  bool shutdown_after_flush_ = false;
  bool read_pending_ = false;    // a fairness break left bytes to read
  bool active_ = false;          // bytes arrived since take_activity()
  std::uint16_t peer_code_ = wire::ws::close_code::abnormal;
  std::error_code error_;
  // TLS (none on plain TCP: a plain connection pays one pointer): the
  // channel, and ciphertext made and not yet written (at most one batch;
  // released once written).
  struct Tls {
    explicit Tls(std::unique_ptr<TlsChannel> c) : channel(std::move(c)) {}
    std::unique_ptr<TlsChannel> channel;
    std::string out;
    std::size_t sent = 0;  // bytes of `out` written
    bool closed = false;   // our close_notify is queued
  };
  std::unique_ptr<Tls> tls_;
};

}  // namespace sio::net
