#include "conn.hpp"

namespace sio::bench {

namespace {
// One packet is written at a time and copied by the link: one scratch string serves all.
std::string& scratch() {
  thread_local std::string s;
  return s;
}
}  // namespace

void Conn::emit(std::string_view event, std::uint64_t seq, std::optional<std::uint64_t> ack_id) {
  if (state_ != State::joined) return;
  std::string& out = scratch();
  codec_.event_packet(out, event, seq, ack_id);
  engine_.send(out);
}

void Conn::close(bool abortive) {
  if (state_ == State::connecting || state_ == State::joined) state_ = State::closed;
  engine_.close(abortive);
}

void Conn::on_engine_open() {
  // Like socket.io-client: join at once, over whatever transport is open.
  engine_.send(codec_.connect_packet());
}

void Conn::on_engine_settled() { maybe_joined(); }

void Conn::maybe_joined() {
  if (state_ == State::connecting && sio_connected_ && engine_.settled()) {
    state_ = State::joined;
    owner_.on_joined(*this);
  }
}

void Conn::on_engine_message(std::string_view data) {
  if (state_ == State::failed || state_ == State::closed) return;
  const EventCodec::Incoming in = codec_.decode(data);
  using K = EventCodec::Incoming::Kind;
  switch (in.kind) {
    case K::event:
      if (state_ != State::joined) {
        // Upgrade mode may see events before the upgrade ends; nothing is sent before joined.
        if (!sio_connected_) return on_engine_failed(ErrorKind::protocol, "EVENT before CONNECT");
      }
      owner_.on_event(*this, in);
      return;
    case K::ack:
      if (state_ == State::joined) owner_.on_event(*this, in);
      return;
    case K::joined:
      if (sio_connected_) return on_engine_failed(ErrorKind::protocol, "second CONNECT answer");
      sio_connected_ = true;
      return maybe_joined();
    case K::connect_error:
      return on_engine_failed(ErrorKind::protocol, "CONNECT_ERROR " + std::string(in.detail));
    case K::disconnect:
      return on_engine_failed(ErrorKind::closed, "server sent DISCONNECT");
    case K::bad:
      return on_engine_failed(ErrorKind::protocol, in.detail);
  }
}

void Conn::on_engine_failed(ErrorKind k, std::string_view detail) {
  if (state_ == State::failed || state_ == State::closed) return;
  state_ = State::failed;
  engine_.close();
  owner_.on_failed(*this, k, detail);
}

}  // namespace sio::bench
