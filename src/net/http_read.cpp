#include "net/http_read.hpp"

#include <boost/asio/write.hpp>

#include "net/http_util.hpp"

namespace sio::net {

std::string render_refusal(const boost::system::error_code& ec) {
  const int status = refusal_status(ec);
  if (!status) return {};
  // The body names the refusal in the project's words (errc), whatever
  // produced it: our checks or Beast's parser.
  errc why = errc::http_bad_request;
  switch (status) {
    case 431: why = errc::http_header_too_large; break;
    case 413: why = errc::eio_payload_too_large; break;
    case 501: why = errc::http_unsupported_coding; break;
    default:
      if (std::error_code(ec) == make_error_code(errc::http_bad_framing)) why = errc::http_bad_framing;
  }
  return render_response(status, {{"Content-Type", "text/plain"}}, make_error_code(why).message(), false);
}

void refuse_request(boost::asio::ip::tcp::socket& socket, const boost::system::error_code& ec) {
  boost::system::error_code ignored;
  if (const std::string res = render_refusal(ec); !res.empty()) {
    boost::asio::write(socket, boost::asio::buffer(res), ignored);
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  }
  socket.close(ignored);
}

}  // namespace sio::net
