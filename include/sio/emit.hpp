// How emit() takes its arguments: any number of values that make a Payload
// (JSON values, sio::Binary, sio::Payload), optionally followed by an
// acknowledgement callback, as socket.io takes a trailing function:
//
//   socket.emit("hello", 1, "two", sio::Binary{3});
//   socket.timeout(5s).emit("question", 42, [](std::error_code ec, sio::Args reply) { ... });
#pragma once

#include <cstddef>
#include <functional>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <sio/payload.hpp>

namespace sio {

/// The answer to one emit: an error (timeout, disconnected) or the client's
/// acknowledgement arguments.
using AckCallback = std::function<void(std::error_code, Args)>;
/// The answers to a broadcast: one Args per client that answered in time
/// (on timeout: the error, and the answers that did arrive).
using BroadcastAckCallback = std::function<void(std::error_code, std::vector<Args>)>;

namespace detail {

template <class T, class Reply>
inline constexpr bool is_callback_v = std::is_invocable_v<std::decay_t<T>&, std::error_code, Reply>;

template <class Reply, class... A>
constexpr bool callback_last() {
  constexpr std::size_t count = (0 + ... + (is_callback_v<A, Reply> ? 1 : 0));
  if constexpr (count == 0) {
    return true;
  } else {
    using Last = std::tuple_element_t<sizeof...(A) - 1, std::tuple<A...>>;
    return count == 1 && is_callback_v<Last, Reply>;
  }
}

template <class Reply, class Cb, class T>
void collect_one(Args& args, Cb& cb, T&& v) {
  if constexpr (is_callback_v<T, Reply>) {
    cb = std::forward<T>(v);
  } else {
    args.emplace_back(std::forward<T>(v));
  }
}

/// Splits emit()'s arguments into payloads and the optional trailing callback.
template <class Reply, class Cb, class... A>
Args collect(Cb& cb, A&&... a) {
  static_assert(callback_last<Reply, A...>(), "the acknowledgement callback must be the last argument");
  Args args;
  args.reserve(sizeof...(A));
  (collect_one<Reply>(args, cb, std::forward<A>(a)), ...);
  return args;
}

}  // namespace detail
}  // namespace sio
