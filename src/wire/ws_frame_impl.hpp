// Parser<R> member definitions (templates), included by ws_frame.hpp.
//
// Flow of consume(): finish the frame in progress, if any; then read frame
// after frame. A frame whose payload lies wholly in the input and which is a
// control frame or a whole single-frame message is unmasked in place and
// delivered as a view of the input. Any other frame (cut off, or a fragment)
// becomes the "frame in progress": its payload goes through take_payload()
// into the message buffer (data) or control_ (control) as bytes arrive.
#pragma once

#include <algorithm>
#include <cstring>
#include <utility>

namespace sio::wire::ws {

namespace detail {

inline bool is_control(Opcode op) noexcept { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

inline std::uint16_t close_code_for(sio::errc e) noexcept {
  switch (e) {
    case sio::errc::ws_invalid_utf8: return close_code::invalid_payload;
    case sio::errc::ws_message_too_big: return close_code::too_big;
    default: return close_code::protocol_error;
  }
}

// Close frame payload -> code and reason; errc{} when acceptable.
sio::errc parse_close(std::string_view payload, std::uint16_t& code, std::string_view& reason) noexcept;

}  // namespace detail

template <Role R>
void Parser<R>::fail(sio::errc e) noexcept {
  error_ = e;
  close_code_ = detail::close_code_for(e);
  in_frame_ = false;
  in_message_ = false;
  release_message();
}

template <Role R>
std::size_t Parser<R>::reject(sio::errc e) noexcept {
  fail(e);
  return 0;
}

template <Role R>
std::size_t Parser<R>::read_header(const char* p, std::size_t n, Header& out) noexcept {
  if (n < 2) return 0;
  const auto b0 = static_cast<std::uint8_t>(p[0]);
  const auto b1 = static_cast<std::uint8_t>(p[1]);
  // Rules that the first two bytes decide are checked before the rest of the
  // header arrives, so a bad frame fails as early as possible.
  if (b0 & 0x70) return reject(sio::errc::ws_reserved_bits);
  const std::uint8_t op = b0 & 0x0F;
  if ((op > 0x2 && op < 0x8) || op > 0xA) return reject(sio::errc::ws_bad_opcode);
  out.op = static_cast<Opcode>(op);
  out.fin = (b0 & 0x80) != 0;
  const bool masked = (b1 & 0x80) != 0;
  const std::uint8_t len7 = b1 & 0x7F;
  if (detail::is_control(out.op)) {
    if (!out.fin) return reject(sio::errc::ws_control_fragmented);
    if (len7 > 125) return reject(sio::errc::ws_control_too_long);
  } else if (out.op == Opcode::continuation) {
    if (!in_message_) return reject(sio::errc::ws_bad_continuation);
  } else if (in_message_) {
    return reject(sio::errc::ws_expected_continuation);
  }
  if constexpr (R == Role::server) {
    if (!masked) return reject(sio::errc::ws_unmasked_frame);
  } else {
    if (masked) return reject(sio::errc::ws_masked_frame);
  }

  const std::size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  const std::size_t size = 2 + ext + (masked ? 4 : 0);
  if (n < size) return 0;
  std::uint64_t len = len7;
  if (ext != 0) {
    len = 0;
    for (std::size_t i = 0; i < ext; ++i) len = (len << 8) | static_cast<std::uint8_t>(p[2 + i]);
    if (len >> 63) return reject(sio::errc::ws_bad_length);
  }
  // Non-minimal length encodings are accepted (as most peers do): the length
  // is still exact, and rejecting them buys nothing.
  if (!detail::is_control(out.op) &&
      (message_.size() > max_message_ || len > max_message_ - message_.size()))
    return reject(sio::errc::ws_message_too_big);
  out.key = 0;
  if (masked) std::memcpy(&out.key, p + 2 + ext, 4);
  out.len = len;
  out.size = static_cast<std::uint8_t>(size);
  return size;
}

template <Role R>
void Parser<R>::reserve_for(std::size_t n) {
  // Grow geometrically but never past the end of the current frame: a header
  // alone must not make us allocate what it announces (14 bytes in, up to
  // max_message_size out), so capacity follows the bytes that did arrive.
  const std::size_t need = message_.size() + n;
  if (need <= message_.capacity()) return;
  const std::size_t frame_end = message_.size() + static_cast<std::size_t>(frame_remaining_);
  const std::size_t target = std::min(frame_end, std::max(need, 2 * message_.capacity()));
  // Not message_.reserve(target): libstdc++ rounds a growth of less than
  // double up to double, past the frame's end (a 150 KB fragment could hold
  // 300 KB). A fresh string reserves exactly what it is asked.
  std::string grown;
  grown.reserve(target);
  grown.append(message_);
  message_.swap(grown);
}

template <Role R>
bool Parser<R>::take_payload(char* d, std::size_t n) {
  if (n == 0) return true;
  if constexpr (R == Role::server) apply_mask(d, n, frame_key_, frame_mask_pos_);
  frame_mask_pos_ = static_cast<std::uint8_t>((frame_mask_pos_ + n) & 3);
  if (detail::is_control(frame_op_)) {
    control_.append(d, n);
  } else {
    if (message_op_ == Opcode::text && !utf8_.feed({d, n})) {
      fail(sio::errc::ws_invalid_utf8);
      return false;
    }
    reserve_for(n);
    message_.append(d, n);
  }
  frame_remaining_ -= n;
  return true;
}

template <Role R>
template <class Handler>
void Parser<R>::on_control(Opcode op, std::string_view payload, Handler& h) {
  switch (op) {
    case Opcode::ping: h.on_ping(payload); return;
    case Opcode::pong: h.on_pong(payload); return;
    default: break;
  }
  std::uint16_t code = 0;
  std::string_view reason;
  if (const sio::errc e = detail::parse_close(payload, code, reason); e != sio::errc{}) {
    fail(e);
    return;
  }
  closed_ = true;
  in_message_ = false;
  release_message();
  h.on_close(code, reason);
}

template <Role R>
template <class Handler>
void Parser<R>::finish_message(Handler& h) {
  if (message_op_ == Opcode::text && !utf8_.complete()) {
    fail(sio::errc::ws_invalid_utf8);
    return;
  }
  in_message_ = false;
  // Moved out first, so the buffer is released (and the parser idle) even if
  // the handler throws.
  const std::string message = std::move(message_);
  message_.clear();
  h.on_message(message_op_, std::string_view(message));
}

template <Role R>
template <class Handler>
std::size_t Parser<R>::consume(std::span<char> in, Handler& h) {
  if (error_ || closed_) return 0;
  char* const p = in.data();
  const std::size_t n = in.size();
  std::size_t pos = 0;
  for (;;) {
    if (in_frame_) {
      const std::size_t take = static_cast<std::size_t>(
          std::min<std::uint64_t>(frame_remaining_, n - pos));
      if (!take_payload(p + pos, take)) return pos;
      pos += take;
      if (frame_remaining_ != 0) return pos;  // all of `in` is consumed
      in_frame_ = false;
      if (detail::is_control(frame_op_)) {
        const std::string payload = std::exchange(control_, std::string());
        on_control(frame_op_, payload, h);
        if (error_ || closed_) return pos;
      } else if (frame_fin_) {
        finish_message(h);
        if (error_) return pos;
      }
    }
    if (pos == n) return pos;

    Header hd;
    if (read_header(p + pos, n - pos, hd) == 0) return pos;  // partial header or error_
    const std::size_t avail = n - pos - hd.size;
    const bool control = detail::is_control(hd.op);
    if (hd.len <= avail && (control || (hd.fin && !in_message_))) {
      // The whole frame is here: unmask in place and hand out a view.
      char* d = p + pos + hd.size;
      const auto len = static_cast<std::size_t>(hd.len);
      if constexpr (R == Role::server) apply_mask(d, len, hd.key, 0);
      const std::string_view payload(d, len);
      if (control) {
        pos += hd.size + len;
        on_control(hd.op, payload, h);
        if (error_ || closed_) return pos;
        continue;
      }
      if (hd.op == Opcode::text && !is_valid_utf8(payload)) {
        fail(sio::errc::ws_invalid_utf8);
        return pos;
      }
      pos += hd.size + len;
      h.on_message(hd.op, payload);
      continue;
    }
    // A fragment, or a frame cut off at the end of `in`: its payload goes
    // through the buffer as it arrives.
    pos += hd.size;
    if (!control && hd.op != Opcode::continuation) {
      in_message_ = true;
      message_op_ = hd.op;
      utf8_.reset();
    }
    in_frame_ = true;
    frame_op_ = hd.op;
    frame_fin_ = hd.fin;
    frame_key_ = hd.key;
    frame_mask_pos_ = 0;
    frame_remaining_ = hd.len;
  }
}

}  // namespace sio::wire::ws
