// The cluster message codec (what @socket.io/redis-adapter nodes exchange over
// Redis): whatever arrives on a channel is decoded without crashing, reading
// out of bounds or allocating without bound, and what decodes re-encodes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapter/cluster/message_codec.hpp"
#include "adapter/cluster/msgpack_value.hpp"

using namespace sio::adapter::cluster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::error_code ec;
  if (auto m = decode_broadcast(in, ec)) (void)encode_broadcast(*m);
  if (auto r = decode_request(in, ec)) (void)encode_request(*r);
  for (auto t : {RequestType::remote_fetch, RequestType::broadcast, RequestType::sockets, RequestType::all_rooms}) {
    auto type_of = [t](std::string_view) { return std::optional<RequestType>(t); };
    if (auto r = decode_response(in, type_of, ec)) (void)encode_response(*r);
  }
  const char* p = in.data();
  Attachments att;
  if (auto v = decode_msgpack(&p, in.data() + in.size(), att, ec)) {
    std::string out;
    append_msgpack(out, *v, att);
  }
  return 0;
}
