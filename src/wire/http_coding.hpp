// HTTP content codings for polling responses: which one a request's
// Accept-Encoding prefers among those the server offers (gzip, deflate), as
// engine.io picks them (the `accepts` package: highest q first, then an exact
// name over "*", then the order of the header, then gzip before deflate; q=0
// refuses; no header at all accepts only identity).
#pragma once

#include <string_view>

namespace sio::wire {

enum class ContentCoding : unsigned char { identity, gzip, deflate };

// The coding to answer a request with `accept_encoding` (the field's value,
// repeated fields joined with ","); identity when it accepts neither.
ContentCoding preferred_coding(std::string_view accept_encoding);

constexpr std::string_view coding_name(ContentCoding c) {
  return c == ContentCoding::gzip ? "gzip" : c == ContentCoding::deflate ? "deflate" : "identity";
}

}  // namespace sio::wire
