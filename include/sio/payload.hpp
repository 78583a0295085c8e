// What events carry: JSON values (Boost.JSON) with binary blobs anywhere
// inside them, the way socket.io lets a Buffer sit at the top level of an
// argument or deep inside an object.
//
//   socket.emit("hello", "text", 42, sio::Binary("\x01\x02", 2));   // plain and binary args
//
//   sio::PayloadBuilder b;                                          // binary nested in JSON
//   boost::json::object file{{"name", "a.png"}, {"data", b.add(sio::Binary(bytes))}};
//   socket.emit("upload", b.build(std::move(file)));
//
//   socket.on("upload", [](sio::Event& ev) {
//     const sio::Payload& p = ev.arg(0);
//     if (const sio::Binary* data = p.binary(p.json().at("data"))) use(data->view());
//   });
//
// Inside json(), a binary is a placeholder object {"_placeholder":true,"num":i}
// indexing binaries(); that is also how it travels on the wire.
//
// Strings are UTF-8, but may hold lone UTF-16 surrogates as a JavaScript peer's
// strings may ("\ud800" in its JSON): each is kept as its three WTF-8 bytes
// (U+D800..U+DFFF as ED A0..BF 80..BF) and such bytes are sent as that escape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace sio {

/// Immutable bytes, shared by reference: copying a Binary never copies bytes.
class Binary {
 public:
  Binary() = default;  ///< no bytes
  /// Takes the bytes of `bytes`.
  explicit Binary(std::string bytes) : bytes_(std::make_shared<const std::string>(std::move(bytes))) {}
  /// Copies `size` bytes from `data`.
  Binary(const void* data, std::size_t size)
      : Binary(std::string(static_cast<const char*>(data), size)) {}
  /// The bytes listed: sio::Binary{1, 2, 3}.
  Binary(std::initializer_list<std::uint8_t> bytes) : Binary(std::string(bytes.begin(), bytes.end())) {}

  /// The first byte (null when empty).
  const std::uint8_t* data() const noexcept {
    return bytes_ ? reinterpret_cast<const std::uint8_t*>(bytes_->data()) : nullptr;
  }
  std::size_t size() const noexcept { return bytes_ ? bytes_->size() : 0; }  ///< how many bytes
  bool empty() const noexcept { return size() == 0; }                         ///< no bytes
  /// The bytes as characters (valid as long as a copy of this Binary lives).
  std::string_view view() const noexcept { return bytes_ ? std::string_view(*bytes_) : std::string_view(); }

  /// Same bytes.
  friend bool operator==(const Binary& a, const Binary& b) noexcept { return a.view() == b.view(); }

 private:
  std::shared_ptr<const std::string> bytes_;
};

/// One argument of an event or acknowledgement.
class Payload {
 public:
  Payload() = default;  ///< null
  /// Any JSON value (numbers, strings, bool, nullptr, json::object/array/value).
  template <class T,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Payload> &&
                                     !std::is_same_v<std::decay_t<T>, Binary> &&
                                     std::is_constructible_v<boost::json::value, T&&>>>
  Payload(T&& v) : json_(std::forward<T>(v)) {}  // NOLINT: implicit on purpose (emit("e", 1, "x"))
  /// A binary blob as the whole argument.
  Payload(Binary b);  // NOLINT
  /// JSON whose placeholders index `binaries` (see PayloadBuilder).
  Payload(boost::json::value v, std::vector<Binary> binaries)
      : json_(std::move(v)), binaries_(std::move(binaries)) {}

  /// The JSON value (blobs in it are placeholders; see binary()).
  const boost::json::value& json() const noexcept { return json_; }
  /// The JSON value, to change it.
  boost::json::value& json() noexcept { return json_; }
  /// The blobs placeholders may refer to (may hold more than this payload uses:
  /// the arguments of one received packet share its list).
  const std::vector<Binary>& binaries() const noexcept { return binaries_; }

  /// The blob that `v` (a value inside json()) stands for, or null when `v` is
  /// not a placeholder of this payload.
  const Binary* binary(const boost::json::value& v) const noexcept;
  /// True when the whole argument is a blob.
  bool is_binary() const noexcept { return binary(json_) != nullptr; }
  /// The whole argument as a blob (empty when it is not one).
  Binary as_binary() const;

  /// Same JSON and the same bytes behind every placeholder.
  friend bool operator==(const Payload& a, const Payload& b);

 private:
  boost::json::value json_;
  std::vector<Binary> binaries_;
};

/// The arguments of an event or acknowledgement, in order.
using Args = std::vector<Payload>;

/// A null payload (what BasicEvent::arg() gives past the last argument).
const Payload& null_payload() noexcept;

/// Builds a payload with blobs nested inside JSON: add() returns the
/// placeholder to put where the blob goes; build() ties the JSON to the blobs.
class PayloadBuilder {
 public:
  /// Keeps `b` and returns the placeholder that stands for it in the JSON.
  boost::json::value add(Binary b);
  /// Hands the blobs added so far to the payload (the builder starts over).
  Payload build(boost::json::value v);

 private:
  std::vector<Binary> binaries_;
};

}  // namespace sio
