// ceiling: the "limit" column of bench/compare.sh (issue 18). A minimal
// single-threaded epoll server that does nothing but frame bytes: HTTP/1.1
// requests read whole, the WebSocket handshake, RFC 6455 frames parsed and
// written, echo or broadcast. With --fake-sio it also fakes just enough
// Engine.IO v4 / Socket.IO v5 for sio-bench: the open packet (over WebSocket
// or a polling GET), the CONNECT answer, `42` events echoed byte for byte
// (`bcast` ones to everyone), long-polling sessions. No Socket.IO logic:
// no heartbeat, no namespaces, no acks, no limits beyond what keeps it honest.
//
// Usage: ceiling --port P [--fake-sio] [--broadcast]
//   plain WebSocket: every message is echoed (--broadcast: sent to everyone)
// Prints "listening on http://127.0.0.1:PORT" when ready.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

bool fake_sio = false, broadcast_all = false;
int epfd = -1;

struct Session;
struct Conn {
  int fd;
  bool ws = false;
  bool want_out = false;
  std::string in, out;
  Session* waiting = nullptr;  // a polling GET held at this session
};
struct Session {  // a long-polling Engine.IO session (--fake-sio)
  std::string sid;
  std::string queue;  // packets, \x1e-separated
  Conn* get = nullptr;
};

std::unordered_map<int, std::unique_ptr<Conn>> conns;
std::unordered_map<std::string, std::unique_ptr<Session>> sessions;
std::uint64_t next_id = 1;

std::string make_id() {
  char b[24];
  std::snprintf(b, sizeof b, "c%019llu", static_cast<unsigned long long>(next_id++));
  return b;
}

void watch(Conn& c, bool out) {
  if (c.want_out == out) return;
  c.want_out = out;
  epoll_event ev{};
  ev.events = EPOLLIN | (out ? EPOLLOUT : 0);
  ev.data.fd = c.fd;
  epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev);
}

void close_conn(Conn& c) {
  if (c.waiting) c.waiting->get = nullptr;
  epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  conns.erase(c.fd);  // c is gone
}

// Writes what it can now; the rest waits for EPOLLOUT. False: the peer is gone.
bool flush(Conn& c) {
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return false;
  }
  if (c.out.capacity() > 65536 && c.out.empty()) std::string().swap(c.out);
  watch(c, !c.out.empty());
  return true;
}

void append_frame(std::string& out, std::string_view payload, std::uint8_t opcode) {
  out.push_back(static_cast<char>(0x80 | opcode));
  const std::size_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n < 65536) {
    out.push_back(126);
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xff));
  } else {
    out.push_back(127);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff));
  }
  out.append(payload);
}

void answer_poll(Session& s) {  // the held GET takes the queue
  if (!s.get || s.queue.empty()) return;
  Conn& c = *s.get;
  s.get = nullptr;
  c.waiting = nullptr;
  c.out += "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: " +
           std::to_string(s.queue.size()) + "\r\n\r\n";
  c.out += s.queue;
  s.queue.clear();
  flush(c);  // a failure shows as an error event on its socket: closed there
}

void queue_packet(Session& s, std::string_view p) {
  if (!s.queue.empty()) s.queue.push_back('\x1e');
  s.queue.append(p);
}

// Sends `packet` (an Engine.IO packet, e.g. "42[...]") to every connection and session.
void broadcast(std::string_view packet) {
  std::string frame;
  append_frame(frame, packet, 1);  // framed once, for every WebSocket
  for (auto& [fd, c] : conns) {
    if (!c->ws) continue;
    c->out += frame;
    flush(*c);  // a failure shows as an error event on its socket: closed there
  }
  for (auto& [sid, s] : sessions) {
    queue_packet(*s, packet);
    answer_poll(*s);
  }
}

bool is_bcast(std::string_view packet) { return packet.substr(0, 10) == "42[\"bcast\""; }

// One Engine.IO packet from a WebSocket (--fake-sio). False: close it.
bool on_sio_ws_packet(Conn& c, std::string_view p) {
  if (p == "40") {
    const std::string answer = "40{\"sid\":\"" + make_id() + "\"}";
    append_frame(c.out, answer, 1);
  } else if (p.substr(0, 2) == "42") {
    if (is_bcast(p)) return broadcast(p), true;
    append_frame(c.out, p, 1);
  } else if (p == "1") {
    return false;
  }  // "3" (pong) and the rest: nothing to do
  return true;
}

// Parses the frames in c.in. False: close the connection.
bool on_ws_bytes(Conn& c) {
  std::size_t pos = 0;
  for (;;) {
    const std::size_t avail = c.in.size() - pos;
    if (avail < 2) break;
    const auto* b = reinterpret_cast<const unsigned char*>(c.in.data() + pos);
    const bool fin = b[0] & 0x80;
    const std::uint8_t opcode = b[0] & 0x0f;
    if (!(b[1] & 0x80) || !fin) return false;  // clients mask; no fragments here
    std::uint64_t len = b[1] & 0x7f;
    std::size_t head = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t{b[2]} << 8) | b[3];
      head = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | b[2 + i];
      head = 10;
    }
    if (len > (64u << 20)) return false;
    if (avail < head + 4 + len) break;
    const unsigned char* mask = b + head;
    std::string payload(reinterpret_cast<const char*>(b + head + 4), len);
    for (std::size_t i = 0; i < len; ++i) payload[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
    pos += head + 4 + len;
    if (opcode == 8) {
      append_frame(c.out, std::string_view(payload).substr(0, 2), 8);
      flush(c);
      return false;
    }
    if (opcode == 9) {
      append_frame(c.out, payload, 10);
      continue;
    }
    if (opcode != 1 && opcode != 2) continue;
    if (fake_sio) {
      if (!on_sio_ws_packet(c, payload)) return false;
    } else if (broadcast_all) {
      std::string frame;
      append_frame(frame, payload, opcode);
      for (auto& [fd, o] : conns)
        if (o->ws && o.get() != &c) o->out += frame, flush(*o);
      c.out += frame;
    } else {
      append_frame(c.out, payload, opcode);
    }
  }
  c.in.erase(0, pos);
  return true;
}

std::string_view header(std::string_view head, std::string_view name) {  // case-insensitive, first one
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    const std::size_t end = head.find("\r\n", pos + 2);
    const std::string_view line = head.substr(pos + 2, end - pos - 2);
    const std::size_t colon = line.find(':');
    if (colon == name.size() && strncasecmp(line.data(), name.data(), name.size()) == 0) {
      std::string_view v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      return v;
    }
    pos = end;
  }
  return {};
}

std::string_view query_param(std::string_view target, std::string_view name) {
  const std::size_t q = target.find('?');
  std::string_view rest = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view kv = rest.substr(0, amp);
    if (kv.size() > name.size() && kv.substr(0, name.size()) == name && kv[name.size()] == '=')
      return kv.substr(name.size() + 1);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return {};
}

std::string open_packet(const std::string& sid) {
  return "0{\"sid\":\"" + sid + "\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
}

void respond(Conn& c, std::string_view status, std::string_view body) {
  c.out += "HTTP/1.1 ";
  c.out += status;
  c.out += "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  c.out += body;
}

// One whole HTTP request. False: close the connection.
bool on_request(Conn& c, std::string_view head, std::string_view body) {
  const std::size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
  const std::string_view method = head.substr(0, sp1), target = head.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view key = header(head, "Sec-WebSocket-Key");
  if (!key.empty()) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    const std::string k = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    SHA1(reinterpret_cast<const unsigned char*>(k.data()), k.size(), digest);
    unsigned char accept[32];
    EVP_EncodeBlock(accept, digest, SHA_DIGEST_LENGTH);
    c.out += "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ";
    c.out += reinterpret_cast<const char*>(accept);
    c.out += "\r\n\r\n";
    c.ws = true;
    if (fake_sio) append_frame(c.out, open_packet(make_id()), 1);
    return true;
  }
  if (!fake_sio || query_param(target, "transport") != "polling") return respond(c, "404 Not Found", ""), true;
  const std::string sid(query_param(target, "sid"));
  if (sid.empty()) {  // the handshake
    auto s = std::make_unique<Session>();
    s->sid = make_id();
    respond(c, "200 OK", open_packet(s->sid));
    sessions.emplace(s->sid, std::move(s));
    return true;
  }
  auto it = sessions.find(sid);
  if (it == sessions.end()) return respond(c, "400 Bad Request", "{\"code\":1,\"message\":\"Session ID unknown\"}"), true;
  Session& s = *it->second;
  if (method == "GET") {
    if (s.get) return false;  // one poll at a time
    s.get = &c;
    c.waiting = &s;
    answer_poll(s);
    return true;
  }
  bool closing = false;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    const std::size_t sep = body.find('\x1e', pos);
    const std::string_view p = body.substr(pos, sep == std::string_view::npos ? sep : sep - pos);
    if (p == "40") queue_packet(s, "40{\"sid\":\"" + make_id() + "\"}");
    else if (p.substr(0, 2) == "42" && is_bcast(p)) broadcast(p);
    else if (p.substr(0, 2) == "42") queue_packet(s, p);
    else if (p == "1") closing = true;
    if (sep == std::string_view::npos) break;
    pos = sep + 1;
  }
  respond(c, "200 OK", "ok");
  if (closing) {
    if (s.get) {
      Conn& g = *s.get;
      g.waiting = nullptr;
      respond(g, "200 OK", "6");
      flush(g);
    }
    sessions.erase(it);
    return true;
  }
  answer_poll(s);
  return true;
}

// Whole requests in c.in, one after the other (keep-alive). False: close.
bool on_http_bytes(Conn& c) {
  for (;;) {
    if (c.ws) return on_ws_bytes(c);
    const std::size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return c.in.size() < 16384;
    const std::string_view head(c.in.data(), end + 2);
    const std::string_view len = header(head, "Content-Length");
    const std::size_t body_len = len.empty() ? 0 : std::strtoul(std::string(len).c_str(), nullptr, 10);
    if (body_len > (16u << 20)) return false;
    if (c.in.size() < end + 4 + body_len) return true;
    const std::string request = c.in.substr(0, end + 4 + body_len);
    c.in.erase(0, end + 4 + body_len);
    if (!on_request(c, std::string_view(request).substr(0, end + 2), std::string_view(request).substr(end + 4))) return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 3000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--port" && i + 1 < argc) port = std::atoi(argv[++i]);
    else if (a == "--fake-sio") fake_sio = true;
    else if (a == "--broadcast") broadcast_all = true;
    else {
      std::fprintf(stderr, "usage: ceiling --port P [--fake-sio] [--broadcast]\n");
      return 2;
    }
  }
  const int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  const int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof addr;
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 4096) != 0 ||
      ::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) {
    std::perror("ceiling: listen");
    return 1;
  }
  epfd = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
  std::printf("listening on http://127.0.0.1:%u\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  std::vector<epoll_event> events(1024);
  char buf[65536];
  for (;;) {
    const int n = epoll_wait(epfd, events.data(), static_cast<int>(events.size()), -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      if (fd == lfd) {
        for (;;) {
          const int cfd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK);
          if (cfd < 0) break;
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto c = std::make_unique<Conn>();
          c->fd = cfd;
          epoll_event cev{};
          cev.events = EPOLLIN;
          cev.data.fd = cfd;
          epoll_ctl(epfd, EPOLL_CTL_ADD, cfd, &cev);
          conns.emplace(cfd, std::move(c));
        }
        continue;
      }
      auto it = conns.find(fd);
      if (it == conns.end()) continue;
      Conn& c = *it->second;
      if (events[static_cast<std::size_t>(i)].events & EPOLLOUT) {
        if (!flush(c)) {
          close_conn(c);
          continue;
        }
      }
      if (!(events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        close_conn(c);
        continue;
      }
      c.in.append(buf, static_cast<std::size_t>(r));
      const bool ok = on_http_bytes(c);  // closes nothing itself: only this loop does
      if (!ok) {
        flush(c);
        close_conn(c);
        continue;
      }
      if (c.in.empty() && c.in.capacity() > 4096) std::string().swap(c.in);
      if (!flush(c)) close_conn(c);
    }
  }
}
