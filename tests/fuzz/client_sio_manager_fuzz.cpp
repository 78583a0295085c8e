// Fuzzes the client's Socket.IO layer (client/manager, client/namespace_socket)
// with what a server and the network may do: the input is a script of server
// messages (raw Engine.IO messages, or Socket.IO packets built from a few
// choices so that acks, binary packets and namespaces are reached quickly),
// link events, user calls (some from inside the user's handlers) and time,
// run against a Manager over a fake engine and a hand-driven clock.
//
// Input: byte 0 picks the options (reconnection, attempts, ack timeout,
// offline buffer); then steps, each a byte `op` (op % 12 says what):
//   0 connect a socket   1 disconnect a socket   2 emit (ack unless odd flag)
//   3 the engine opens   4 a raw message: flag byte (binary if odd), length,
//   bytes   5 a built packet: kind, namespace and id bytes   6 the link drops
//   (or fails)   7 time passes: byte * 97 ms   8 answer the server's last
//   event   9 manager close / open   10 arm a handler: the next event or
//   connect runs a user call (disconnect, close, connect, emit) from inside it
//   11 the link's writability flips
// Sockets: "/" and "/admin" (with auth); packets also come for "/other".
//
// Checked:
//  - every ack callback runs at most once, and after shutdown() every ack
//    that emit() accepted has run exactly once (no ack is lost);
//  - handlers see a consistent socket: connected with an id on connect,
//    connected on an event, not connected on disconnect; a connected socket
//    means an open manager;
//  - the client writes only on an open link, and what it writes decodes as
//    Socket.IO (a server-side decoder never fails on it);
//  - the engine is called back only while open (a dropped or closed link is
//    never written to);
//  - after the manager is destroyed no timer is left armed, no link open.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/fakes.hpp"
#include "client/manager.hpp"
#include "wire/sio_args.hpp"
#include "wire/sio_packet.hpp"
#include "fuzz_reader.hpp"
#include "fuzz_require.hpp"

namespace {

namespace sc = sio::client;
namespace sp = sio::wire::socketio;
using namespace std::chrono_literals;

using sio::fuzz::Reader;

// One engine connection as the server side sees it.
struct Link {
  sio::net::client::EngineListener* listener = nullptr;
  bool open = false;
  bool closed = false;      // dropped by the network, or closed by the client
  bool writable = true;
  sp::Decoder server{8};    // what the client writes must decode
};

class LinkHandle final : public sio::net::client::EngineLink {
 public:
  LinkHandle(std::shared_ptr<Link> l, sc::test::FakeLoop& loop) : l_(std::move(l)), loop_(loop) {}
  ~LinkHandle() override { l_->closed = true; }
  void send(std::string_view data, bool binary) override {
    FUZZ_REQUIRE(l_->open && !l_->closed);
    std::optional<sp::Packet> p;
    FUZZ_REQUIRE(!l_->server.feed(data, binary, p));
  }
  bool writable() const override { return l_->writable && l_->open && !l_->closed; }
  void close(std::function<void()> on_finished) override {
    l_->closed = true;
    if (on_finished) loop_.post(std::move(on_finished));  // once the goodbye is out, later
  }
  std::string_view transport_name() const override { return "fake"; }

 private:
  std::shared_ptr<Link> l_;
  sc::test::FakeLoop& loop_;
};

struct Connector final : sio::net::client::EngineConnector {
  explicit Connector(sc::test::FakeLoop& loop) : loop(loop) {}
  sc::test::FakeLoop& loop;
  std::vector<std::shared_ptr<Link>> links;
  std::unique_ptr<sio::net::client::EngineLink> connect(sio::net::client::EngineListener& l) override {
    auto link = std::make_shared<Link>();
    link->listener = &l;
    links.push_back(link);
    return std::make_unique<LinkHandle>(link, loop);
  }
  Link* current() { return links.empty() || links.back()->closed ? nullptr : links.back().get(); }
};

struct Harness;

struct Observer final : sc::SocketObserver {
  Harness* h = nullptr;
  sc::NamespaceSocket* s = nullptr;
  std::optional<std::uint64_t> last_event_ack;
  void on_connect() override;
  void on_connect_error(const std::string&, const boost::json::value&) override {}
  void on_disconnect(const std::string&, const std::string&) override { FUZZ_REQUIRE(!s->connected()); }
  void on_event(const std::string&, sio::Args, std::optional<std::uint64_t> id) override;
};

struct Harness {
  sc::test::FakeLoop loop;
  Connector net{loop};
  std::unique_ptr<sc::Manager> m;
  sc::NamespaceSocket* socks[2] = {};
  Observer obs[2];
  std::vector<int> ack_calls;        // per emit with an ack: how many times it ran
  std::vector<bool> ack_accepted;    // emit() took it (an ack refused with the emit never runs)
  std::vector<std::uint64_t> ack_ids;
  std::vector<std::string> ack_nsps;
  int armed_call = -1;               // a user call for the next handler (op 10)
  int depth = 0;                     // handler nesting

  Harness(std::uint8_t cfg) {
    sc::ManagerOptions o;
    o.reconnection = (cfg & 1) == 0;
    o.reconnection_attempts = 1 + (cfg >> 1) % 4;
    m = std::make_unique<sc::Manager>(loop, net, o, [] { return 0.5; });
    static const char* names[] = {"/", "/admin"};
    for (int i = 0; i < 2; ++i) {
      sc::NamespaceOptions no;
      if (i == 1) no.auth = boost::json::object{{"token", "t"}};
      no.max_buffered = 1 + (cfg >> 3) % 4;
      if (cfg & 0x20) no.ack_timeout = std::chrono::milliseconds(500 + 1000 * i);
      socks[i] = &m->socket(names[i], no);
      obs[i].h = this;
      obs[i].s = socks[i];
      socks[i]->set_observer(&obs[i]);
    }
  }

  void check_sockets() const {
    for (auto* s : socks)
      if (s->connected()) FUZZ_REQUIRE(m->state() == sc::Manager::State::open && !s->id().empty());
  }

  void emit(int k, std::uint8_t flags, std::string_view name) {
    sc::NamespaceSocket& s = *socks[k];
    sc::OutgoingEvent ev;
    const bool with_ack = (flags & 1) == 0;
    int idx = -1;
    if (with_ack) {
      idx = static_cast<int>(ack_calls.size());
      ack_calls.push_back(0);
      ack_accepted.push_back(false);
      ev.ack_id = s.allocate_ack_id();
      ack_ids.push_back(*ev.ack_id);
      ack_nsps.push_back(s.nsp());
      ev.ack = [this, idx](std::error_code, sio::Args) {
        FUZZ_REQUIRE(ack_accepted[idx]);
        FUZZ_REQUIRE(++ack_calls[idx] == 1);
      };
    }
    sio::Args args{std::string(name), 1};
    if (flags & 2) args.emplace_back(sio::Binary(std::string(name)));
    ev.packet = sp::encode_event(s.nsp(), name.empty() ? "e" : name, args, ev.ack_id);
    ev.options.is_volatile = flags & 4;
    if (flags & 8) ev.options.timeout = std::chrono::milliseconds(100 * (flags >> 4));
    const std::error_code ec = s.emit(std::move(ev));
    if (idx >= 0) ack_accepted[idx] = !ec;
  }

  // A user call made from inside a handler (op 10 armed it).
  void handler_call(int k) {
    if (armed_call < 0 || depth > 2) return;
    const int call = std::exchange(armed_call, -1);
    ++depth;
    switch (call % 4) {
      case 0: socks[k]->disconnect(); break;
      case 1: loop.post([this] { m->close(); }); break;  // as sio::Client::close() does
      case 2: socks[1 - k]->connect(); break;
      default: emit(k, 0, "inner"); break;
    }
    --depth;
  }

  void message(std::string_view data, bool binary) {
    Link* l = net.current();
    if (!l || !l->open) return;  // the engine delivers messages only while open
    l->listener->on_message(data, binary);
  }

  std::string packet(Reader& r) {
    const std::uint8_t kind = r.byte(), where = r.byte(), id = r.byte();
    static const char* prefixes[] = {"", "/admin,", "/other,"};
    const std::string nsp = prefixes[where % 3];
    // An ack id: mostly one the client asked for.
    std::string ack = std::to_string(id);
    if (!ack_ids.empty() && (id & 0x80) == 0) ack = std::to_string(ack_ids[id % ack_ids.size()]);
    switch (kind % 9) {
      case 0: return "0" + nsp + "{\"sid\":\"s" + std::to_string(id) + "\"}";
      case 1: return "0" + nsp + (id & 1 ? "{}" : "");
      case 2: return "2" + nsp + (id & 1 ? ack : "") + "[\"ev\"," + std::to_string(id) + "]";
      case 3: return "3" + nsp + ack + "[" + std::to_string(id) + "]";
      case 4: return "51-" + nsp + (id & 1 ? ack : "") + "[\"bin\",{\"_placeholder\":true,\"num\":0}]";
      case 5: return "61-" + nsp + ack + "[{\"_placeholder\":true,\"num\":0}]";
      case 6: return "1" + nsp;
      case 7: return "4" + nsp + (id & 1 ? "{\"message\":\"no\",\"data\":1}" : "\"no\"");
      default: return "2" + nsp + "[\"ev\"]";
    }
  }

  void step(Reader& r) {
    const std::uint8_t op = r.byte();
    const int k = (op >> 4) & 1;  // which socket
    switch (op % 12) {
      case 0: socks[k]->connect(); break;
      case 1: socks[k]->disconnect(); break;
      case 2: {
        const std::uint8_t flags = r.byte();
        std::string name;  // valid UTF-8 (JSON text must be)
        for (std::uint8_t c : r.bytes(r.byte() % 8)) name += static_cast<char>('a' + c % 26);
        emit(k, flags, name);
        break;
      }
      case 3:
        if (Link* l = net.current(); l && !l->open) {
          l->open = true;
          l->listener->on_open({"sid", {}, 25000ms, 20000ms, 0});
        }
        break;
      case 4: {
        const bool binary = r.byte() & 1;
        message(r.bytes(r.byte()), binary);
        break;
      }
      case 5: {
        const std::string p = packet(r);
        message(p, false);
        if (p[0] == '5' || p[0] == '6') message("\x01\x02", true);
        break;
      }
      case 6:
        if (Link* l = net.current()) {
          l->closed = true;
          l->listener->on_close(op & 0x20 ? sio::engine::CloseReason::transport_error
                                          : sio::engine::CloseReason::transport_close,
                                "");
        }
        break;
      case 7: loop.advance(std::chrono::milliseconds(97 * r.byte())); break;
      case 8:
        if (obs[k].last_event_ack) socks[k]->send_ack(*obs[k].last_event_ack, {1, "x"});
        break;
      case 9:
        if (op & 0x20) {
          m->close();
        } else {
          m->open();
        }
        break;
      case 10: armed_call = r.byte(); break;
      case 11:
        if (Link* l = net.current()) l->writable = !l->writable;
        break;
    }
    loop.run_posted();
    check_sockets();
  }

  void finish() {
    bool finished = false;
    m->shutdown(make_error_code(sio::errc::sio_not_connected), [&] { finished = true; });
    loop.run_posted();
    FUZZ_REQUIRE(finished);
    for (std::size_t i = 0; i < ack_calls.size(); ++i) FUZZ_REQUIRE(ack_calls[i] == (ack_accepted[i] ? 1 : 0));
    m.reset();
    loop.run_posted();
    FUZZ_REQUIRE(loop.pending_timers() == 0);
    for (const auto& l : net.links) FUZZ_REQUIRE(l->closed);
  }
};

void Observer::on_connect() {
  FUZZ_REQUIRE(s->connected() && !s->id().empty());
  h->handler_call(s == h->socks[0] ? 0 : 1);
}

void Observer::on_event(const std::string&, sio::Args, std::optional<std::uint64_t> id) {
  FUZZ_REQUIRE(s->connected());
  last_event_ack = id;
  h->handler_call(s == h->socks[0] ? 0 : 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Harness h(data[0]);
  Reader r{data + 1, size - 1};
  for (int steps = 0; r.n > 0 && steps < 300; ++steps) h.step(r);
  h.finish();
  return 0;
}
