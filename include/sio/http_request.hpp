// What the server knows of an HTTP request: a handshake, an upgrade, or a
// plain request outside the engine's path.
//
// A handshake request lives as long as its session (and is shared with every
// socket's handshake), so it is kept compact: one string holds the method,
// url, decoded path, remote address, then the header fields (lower-case names)
// and the decoded query parameters, each field written as
// <length><name><length><value> with the lengths as base-128 varints (one
// byte under 128). Lookups scan the fields: a request has about 15 (the
// servers refuse more than EngineOptions::max_header_fields, 100 by default).
//
//   if (auto token = req.query_param("token")) use(*token);
//   for (auto [name, value] : req.headers()) ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sio {

/// An HTTP request as the server read it (method, url, decoded path, peer
/// address, headers with lower-case names, decoded query), in one buffer.
class HttpRequest {
 public:
  using Field = std::pair<std::string_view, std::string_view>;  ///< name, value

  /// Walks the fields of one section, in the order the request gave them.
  class FieldIterator {
   public:
    using iterator_category = std::forward_iterator_tag;  ///< a forward iterator
    using value_type = Field;                             ///< (name, value)
    using difference_type = std::ptrdiff_t;               ///< as any iterator
    using reference = Field;                              ///< fields are made on the fly
    using pointer = void;                                 ///< no pointer to a made field

    FieldIterator() = default;  ///< the end of an empty range
    /// The field here: (name, value).
    Field operator*() const;
    /// Moves to the next field.
    FieldIterator& operator++();
    /// Moves to the next field; returns where it was.
    FieldIterator operator++(int) {
      FieldIterator old = *this;
      ++*this;
      return old;
    }
    /// Same position.
    friend bool operator==(FieldIterator a, FieldIterator b) { return a.p_ == b.p_; }

   private:
    friend class HttpRequest;
    explicit FieldIterator(const char* p) : p_(p) {}
    const char* p_ = nullptr;
  };

  /// The headers or the query parameters: a range of (name, value) views.
  class Fields {
   public:
    FieldIterator begin() const { return FieldIterator(begin_); }  ///< the first field
    FieldIterator end() const { return FieldIterator(end_); }      ///< past the last field
    bool empty() const { return begin_ == end_; }                  ///< no field at all
    std::size_t size() const;                                      ///< how many fields (a walk)
    /// The first value given for `name` (exact match), or nullopt.
    std::optional<std::string_view> find(std::string_view name) const;
    /// How many fields are named `name` (exact match).
    std::size_t count(std::string_view name) const;

   private:
    friend class HttpRequest;
    Fields(const char* b, const char* e) : begin_(b), end_(e) {}
    const char* begin_;
    const char* end_;
  };

  class Builder;

  HttpRequest() = default;  ///< an empty request (no method, no fields)

  std::string_view method() const { return part(0, url_); }             ///< "GET", "POST", "OPTIONS"
  std::string_view url() const { return part(url_, path_); }            ///< path and query, as sent
  std::string_view path() const { return part(path_, address_); }       ///< the decoded path
  std::string_view remote_address() const { return part(address_, headers_); }  ///< "127.0.0.1"
  bool secure() const { return secure_; }                                 ///< over TLS

  Fields headers() const { return fields(headers_, query_); }            ///< lower-case names
  Fields query() const { return fields(query_, body_); }  ///< decoded
  /// The request's body, for an on_http request (a form, a JSON POST); empty
  /// for the Engine.IO path's requests, whose bodies go to their session.
  std::string_view body() const { return std::string_view(buf_).substr(body_); }

  /// A header by its lower-case name (the first one when it was repeated).
  std::optional<std::string_view> header(std::string_view lower_name) const { return headers().find(lower_name); }
  /// A query parameter, decoded (the first one when it was repeated).
  std::optional<std::string_view> query_param(std::string_view name) const { return query().find(name); }

 private:
  std::string_view part(std::uint32_t b, std::uint32_t e) const { return std::string_view(buf_).substr(b, e - b); }
  Fields fields(std::uint32_t b, std::uint32_t e) const { return Fields(buf_.data() + b, buf_.data() + e); }

  /// Each part ends where the next begins: method [0, url_), url, path,
  /// address, headers [headers_, query_), query [query_, body_), body [body_, end).
  std::string buf_;
  std::uint32_t url_ = 0, path_ = 0, address_ = 0, headers_ = 0, query_ = 0, body_ = 0;
  bool secure_ = false;
};

/// Makes a request (the server does; so can tests and cluster adapters).
///
///   auto req = HttpRequest::Builder().method("GET").target("/socket.io/?EIO=4")
///                  .header("Host", "localhost").remote_address("127.0.0.1").build();
class HttpRequest::Builder {
 public:
  /// The method ("GET").
  Builder& method(std::string_view m);
  /// Sets the url as sent, and from it the decoded path and query parameters.
  Builder& target(std::string_view url);
  /// Or each on its own (a request rebuilt from elsewhere, e.g. a cluster peer's JSON).
  Builder& url(std::string_view u);
  /// The decoded path (with url()).
  Builder& path(std::string_view p);
  /// One decoded query parameter (with url()).
  Builder& query_param(std::string_view name, std::string_view value);
  /// The name is lower-cased; a repeated name keeps its first value (build()
  /// drops the others in O(n log n), whatever the number of fields).
  Builder& header(std::string_view name, std::string_view value);
  /// The peer's IP address.
  Builder& remote_address(std::string_view a);
  /// Whether it came over TLS.
  Builder& secure(bool s);
  /// The body (an on_http request's; handshakes have none).
  Builder& body(std::string_view b);

  /// The request (the builder can go on and make more).
  HttpRequest build() const;

 private:
  std::string method_, url_, path_, address_, headers_, query_, body_;
  bool secure_ = false;
};

/// A handshake request, built once and shared (immutable) by the engine
/// session and every Socket.IO socket of it.
using SharedRequest = std::shared_ptr<const HttpRequest>;

}  // namespace sio
