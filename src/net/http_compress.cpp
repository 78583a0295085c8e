#include "net/http_compress.hpp"

#include <zlib.h>

#include <climits>

namespace sio::net {

namespace {

// One deflate stream of a format (gzip or zlib) on this thread, made on first
// use and kept (about 256 KB at zlib's default memory level): per loop
// thread, not per connection.
class Deflater {
 public:
  explicit Deflater(int window_bits) : window_bits_(window_bits) {}
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() {
    if (ready_) deflateEnd(&z_);
  }

  bool compress(std::string_view in, int level, std::string& out) {
    if (in.size() > UINT_MAX) return false;
    if (ready_ && level != level_) {
      deflateEnd(&z_);
      ready_ = false;
    }
    if (!ready_) {
      z_ = {};
      if (deflateInit2(&z_, level, Z_DEFLATED, window_bits_, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
      ready_ = true;
      level_ = level;
    } else if (deflateReset(&z_) != Z_OK) {
      return false;
    }
    out.resize(deflateBound(&z_, static_cast<uLong>(in.size())));
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    z_.next_out = reinterpret_cast<Bytef*>(out.data());
    z_.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z_, Z_FINISH);  // the bound fits it all in one call
    if (rc != Z_STREAM_END) return false;
    out.resize(out.size() - z_.avail_out);
    return true;
  }

 private:
  z_stream z_{};
  int window_bits_;
  int level_ = 0;
  bool ready_ = false;
};

}  // namespace

bool compress_body(std::string_view body, wire::ContentCoding coding, int level, std::string& out) {
  if (level < -1 || level > 9) level = Z_DEFAULT_COMPRESSION;
  switch (coding) {
    case wire::ContentCoding::gzip: {
      thread_local Deflater gzip(15 + 16);  // 32 KB window, gzip header and trailer
      return gzip.compress(body, level, out);
    }
    case wire::ContentCoding::deflate: {
      thread_local Deflater zlib(15);  // 32 KB window, zlib header and Adler-32
      return zlib.compress(body, level, out);
    }
    case wire::ContentCoding::identity: break;
  }
  return false;
}

}  // namespace sio::net
