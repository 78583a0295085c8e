// Compressing an HTTP response body (polling, EngineOptions::http_compression)
// with zlib: gzip, or deflate in the zlib format (RFC 1950, what Node's
// zlib.createDeflate writes and browsers accept as "deflate").
#pragma once

#include <string>
#include <string_view>

#include "wire/http_coding.hpp"

namespace sio::net {

// Writes `body` compressed with `coding` (gzip or deflate) at zlib `level`
// into `out` (replacing it). False when zlib fails or `coding` is identity:
// the body then goes as it is. Each thread keeps its zlib streams and reuses
// them (deflateReset), so a response costs no zlib allocation after the first.
bool compress_body(std::string_view body, wire::ContentCoding coding, int level, std::string& out);

}  // namespace sio::net
