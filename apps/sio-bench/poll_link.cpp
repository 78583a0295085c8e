#include "poll_link.hpp"

#include "wire/eio_packet.hpp"

namespace sio::bench {

void PollLink::start() {
  get_request_ = "GET " + target_.path + "?EIO=4&transport=polling HTTP/1.1\r\nHost: " + target_.host_header +
                 "\r\n\r\n";
  owner_.on_link_open();
  get_.request(get_request_);
}

void PollLink::set_sid(std::string_view sid) {
  const std::string query = target_.path + "?EIO=4&transport=polling&sid=" + std::string(sid);
  get_request_ = "GET " + query + " HTTP/1.1\r\nHost: " + target_.host_header + "\r\n\r\n";
  post_head_ = "POST " + query + " HTTP/1.1\r\nHost: " + target_.host_header +
               "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ";
  has_sid_ = true;
}

void PollLink::send(std::string_view packet) {
  if (dead_) return;
  if (!batch_.empty()) batch_.push_back(wire::eio::kRecordSeparator);
  batch_.append(packet);
  if (!in_dispatch_) flush();
}

void PollLink::flush() {
  if (dead_ || paused_ || !has_sid_ || post_.busy() || batch_.empty()) return;
  std::string req;
  req.reserve(post_head_.size() + 32 + batch_.size());
  req += post_head_;
  req += std::to_string(batch_.size());
  req += "\r\n\r\n";
  req += batch_;
  batch_.clear();
  post_.request(std::move(req));
}

void PollLink::poll() {
  if (dead_ || closing_ || paused_ || !has_sid_ || get_.busy()) return;
  get_.request(get_request_);
}

void PollLink::pause() {
  paused_ = true;
  check_paused();
}

void PollLink::check_paused() {
  if (paused_ && !dead_ && !get_.busy() && !post_.busy()) owner_.on_poll_paused();
}

void PollLink::close(bool abortive) {
  if (dead_) return;
  dead_ = true;
  get_.close(abortive);
  post_.close(abortive);
}

void PollLink::close_gracefully(bool abortive) {
  if (dead_ || closing_) return;
  closing_ = true;
  abortive_ = abortive;
  paused_ = false;
  batch_ = "1";
  get_.close(abortive);  // a poll in flight would only bring packets nobody reads
  if (!has_sid_) return close(abortive);
  flush();
}

void PollLink::on_response(HttpConn& c, int status, std::string& body) {
  if (dead_) return;
  if (closing_) {
    if (&c == &post_ && batch_.empty()) close(abortive_);
    else flush();
    return;
  }
  if (status != 200) {
    close();
    owner_.on_link_failed(ErrorKind::protocol, std::string(&c == &get_ ? "GET" : "POST") + " answered HTTP " +
                                                   std::to_string(status) + " " + body.substr(0, 100));
    return;
  }
  if (&c == &post_) {
    if (body != "ok") {
      close();
      owner_.on_link_failed(ErrorKind::protocol, "POST answered \"" + body.substr(0, 100) + "\", not \"ok\"");
      return;
    }
    flush();
    check_paused();
    return;
  }
  // A GET: its payload, packet by packet.
  in_dispatch_ = true;
  std::string_view rest(body);
  for (;;) {
    const std::size_t sep = rest.find(wire::eio::kRecordSeparator);
    owner_.on_link_packet(rest.substr(0, sep));
    if (dead_ || closing_) break;
    if (sep == std::string_view::npos) break;
    rest.remove_prefix(sep + 1);
  }
  in_dispatch_ = false;
  flush();
  poll();
  check_paused();
}

void PollLink::on_http_failed(HttpConn&, ErrorKind k, std::string_view detail) {
  if (dead_) return;
  close();
  if (closing_) return;
  owner_.on_link_failed(k, detail);
}

}  // namespace sio::bench
