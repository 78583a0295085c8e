// Fuzzes the client's Engine.IO session (engine/client_session) the way
// net/client/engine_link drives it: the input is a script of user calls, of
// what the server sends and of what the transports report, and every action
// the session returns is checked against the contract the link relies on.
//
// Input: byte 0 picks the configuration (transports, upgrade on or off); then
// steps, each a byte `op` (op % 12 says what) and its arguments:
//   0 open()   1 send(): flag byte (binary if odd), length byte, bytes   2 close()
//   3 on_transport_open   4 on_packet: flag byte (binary if odd), length byte,
//   bytes (text that does not decode: the link reports the transport down)
//   5 on_poll_response: length byte, body   6 on_write_done   7 on_transport_down
//   8 on_timer   9 an open packet built from 6 argument bytes   10 "3probe"
//   11 a ping
// A report goes to a transport picked by an argument byte among those the
// network could report for (a poll response answers an outstanding poll, ...).
// With op & 0x80, steps 3-8 go to a released transport or an unarmed timer
// instead: a stale report, which must give no action.
//
// Checked, action by action:
//  - OpenTransport names a new id, at most two transports are live;
//  - Poll and Write go to a live transport, over polling with no poll / write
//    outstanding (one GET and one POST at a time); only the first Poll is a handshake
//    (no sid), later ones name the session; a Write carries packets, and over
//    polling several of them fit in maxPayload; CloseTransport releases a live
//    transport; a transport reported down is released at once;
//  - timers start once and are cancelled or fire only while armed;
//  - Opened once, with a sid; Message only between Opened and Closed;
//  - the first packet written after Upgraded is "5", in the same step;
//  - the user's messages go out in the order sent, none twice;
//  - Closed once, when no transport is live and no timer armed; nothing after.
// At the end the session is closed and the network answers what is
// outstanding (a server answers a handshake with an open packet): it must
// reach Closed within a few rounds (a close never hangs).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/client_session.hpp"
#include "wire/base64.hpp"
#include "fuzz_reader.hpp"
#include "fuzz_require.hpp"

namespace {

namespace ec = sio::engine::client;
namespace act = ec::act;
using sio::wire::eio::Packet;
using sio::wire::eio::PacketType;

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

using sio::fuzz::Reader;

struct Transport {
  ec::TransportKind kind;
  bool live = true;
  bool connected = false;  // websocket: on_transport_open reported
  bool poll = false;       // a GET outstanding
  bool write = false;      // a write outstanding
};

struct Harness {
  ec::ClientSession s;
  std::map<ec::TransportId, Transport> ts;  // every transport ever opened
  std::set<ec::TimerId> armed;
  std::set<ec::TimerId> ended;              // cancelled or fired
  bool opened = false;
  bool closed = false;
  bool handshake_polled = false;
  std::string sid;
  std::size_t max_payload = 0;
  ec::TransportId probe = 0;          // a websocket opened to upgrade to
  ec::TransportId expect_upgrade = 0; // Upgraded to it; "5" must be written first
  std::vector<std::string> sent;      // the user's messages, as written: "4..." or raw bytes
  std::vector<bool> sent_binary;
  std::size_t written = 0;

  explicit Harness(ec::SessionConfig cfg) : s(std::move(cfg)) {}

  std::size_t live() const {
    std::size_t n = 0;
    for (const auto& [id, t] : ts) n += t.live;
    return n;
  }

  Transport& live_transport(ec::TransportId id) {
    auto it = ts.find(id);
    FUZZ_REQUIRE(it != ts.end() && it->second.live);
    return it->second;
  }

  void check_write(const act::Write& w) {
    Transport& t = live_transport(w.id);
    // One POST at a time; a websocket queues frames behind those being written.
    FUZZ_REQUIRE(!w.packets.empty() && !(t.write && t.kind == ec::TransportKind::polling));
    t.write = true;
    FUZZ_REQUIRE(w.sid == s.sid() && (!opened || w.sid == sid));
    if (w.id == expect_upgrade) {
      FUZZ_REQUIRE(!w.packets[0].binary && w.packets[0].data == "5");
      expect_upgrade = 0;
    }
    if (t.kind == ec::TransportKind::polling && max_payload > 0 && w.packets.size() > 1) {
      std::size_t size = w.packets.size() - 1;  // separators
      for (const auto& p : w.packets)
        size += p.binary ? 1 + sio::wire::base64_encoded_size(p.data.size()) : p.data.size();
      FUZZ_REQUIRE(size <= max_payload);
    }
    for (const auto& p : w.packets) {
      if (!p.binary && (p.data.empty() || p.data[0] != '4')) continue;  // not the user's
      FUZZ_REQUIRE(written < sent.size() && sent[written] == p.data && sent_binary[written] == p.binary);
      ++written;
    }
  }

  // SIO_FUZZ_TRACE=1: every call and action on stderr (to read a crash).
  const bool trace = std::getenv("SIO_FUZZ_TRACE") != nullptr;
  void say(const char* what, std::uint64_t id = 0, std::string_view detail = {}) const {
    if (trace) std::fprintf(stderr, "%s %llu %.*s\n", what, static_cast<unsigned long long>(id),
                            static_cast<int>(detail.size()), detail.data());
  }
  void say_action(const ec::Action& x) const {
    std::visit(Overload{
        [&](const act::OpenTransport& o) { say("  -> OpenTransport", o.id, ec::to_string(o.kind)); },
        [&](const act::Poll& p) { say("  -> Poll", p.id, p.sid); },
        [&](const act::Write& w) {
          std::string d;
          for (const auto& p : w.packets) d += (p.binary ? "<bin>" : "") + p.data + " ";
          say("  -> Write", w.id, d);
        },
        [&](const act::CloseTransport& c) { say("  -> CloseTransport", c.id, c.graceful ? "graceful" : ""); },
        [&](const act::StartTimer& t) { say("  -> StartTimer", t.id); },
        [&](const act::CancelTimer& t) { say("  -> CancelTimer", t.id); },
        [&](const act::Opened& o) { say("  -> Opened", 0, o.handshake.sid); },
        [&](const act::Message& m) { say("  -> Message", 0, m.data); },
        [&](const act::Upgraded&) { say("  -> Upgraded"); },
        [&](const act::UpgradeFailed& u) { say("  -> UpgradeFailed", 0, u.why); },
        [&](const act::Closed& c) { say("  -> Closed", 0, c.description); },
    }, x);
  }

  void check(const ec::Actions& a) {
    for (const auto& x : a) {
      if (trace) say_action(x);
      FUZZ_REQUIRE(!closed);  // nothing after Closed
      std::visit(Overload{
          [&](const act::OpenTransport& o) {
            FUZZ_REQUIRE(!ts.count(o.id));
            ts[o.id] = Transport{o.kind};
            FUZZ_REQUIRE(live() <= 2);
            if (!o.sid.empty()) {
              FUZZ_REQUIRE(opened && o.sid == sid && o.kind == ec::TransportKind::websocket && probe == 0);
              probe = o.id;
            }
          },
          [&](const act::Poll& p) {
            Transport& t = live_transport(p.id);
            FUZZ_REQUIRE(t.kind == ec::TransportKind::polling && !t.poll);
            t.poll = true;
            if (p.sid.empty()) {
              FUZZ_REQUIRE(!opened && !handshake_polled);  // one handshake per session
              handshake_polled = true;
            } else {
              // The session's (also one taken only to be closed, never Opened).
              FUZZ_REQUIRE(p.sid == s.sid() && (!opened || p.sid == sid));
            }
          },
          [&](const act::Write& w) { check_write(w); },
          [&](const act::CloseTransport& c) {
            Transport& t = live_transport(c.id);
            t = Transport{t.kind, false};
            if (c.id == probe) probe = 0;
          },
          [&](const act::StartTimer& t) {
            FUZZ_REQUIRE(!armed.count(t.id) && !ended.count(t.id));
            armed.insert(t.id);
          },
          [&](const act::CancelTimer& t) {
            FUZZ_REQUIRE(armed.erase(t.id) == 1);
            ended.insert(t.id);
          },
          [&](const act::Opened& o) {
            FUZZ_REQUIRE(!opened && !o.handshake.sid.empty());
            opened = true;
            sid = o.handshake.sid;
            max_payload = o.handshake.max_payload;
          },
          [&](const act::Message&) { FUZZ_REQUIRE(opened); },
          [&](const act::Upgraded& u) {
            FUZZ_REQUIRE(probe != 0 && live_transport(probe).connected && u.to == ec::TransportKind::websocket);
            expect_upgrade = probe;
            probe = 0;
          },
          [&](const act::UpgradeFailed&) {},
          [&](const act::Closed&) {
            FUZZ_REQUIRE(live() == 0 && armed.empty());
            closed = true;
          },
      }, x);
    }
    FUZZ_REQUIRE(expect_upgrade == 0);
    FUZZ_REQUIRE(closed == (s.state() == ec::ClientSession::State::closed));
  }

  // Runs one call and checks what it gave.
  // One buffer for every call's actions (cleared, not reallocated).
  ec::Actions actions;
  template <class F>
  void step(F&& f) {
    actions.clear();
    f(actions);
    check(actions);
  }
  template <class F>
  void stale(F&& f) {
    actions.clear();
    f(actions);
    FUZZ_REQUIRE(actions.empty());
  }

  template <class P>
  ec::TransportId pick(std::uint8_t k, P pred) {
    std::vector<ec::TransportId> ids;
    for (const auto& [id, t] : ts)
      if (pred(t)) ids.push_back(id);
    return ids.empty() ? 0 : ids[k % ids.size()];
  }

  void send(std::string_view data, bool binary) {
    const auto st = s.state();
    if (st == ec::ClientSession::State::opening || st == ec::ClientSession::State::open) {
      sent.push_back(binary ? std::string(data) : "4" + std::string(data));
      sent_binary.push_back(binary);
    }
    say("send", binary, data);
    step([&](ec::Actions& a) { s.send(data, binary, a); });
  }

  // A packet from the server: over polling as a poll response, over a
  // websocket as one message (text that does not decode takes it down).
  void deliver(ec::TransportId id, std::string_view data, bool binary) {
    Transport& t = ts.at(id);
    if (t.kind == ec::TransportKind::polling) {
      t.poll = false;
      say("on_poll_response", id, data);
      step([&](ec::Actions& a) { s.on_poll_response(id, data, a); });
      return;
    }
    Packet p = sio::wire::eio::binary_message(data);
    if (!binary && !sio::wire::eio::decode_text(data, p)) {
      down(id, true);
      return;
    }
    say("on_packet", id, data);
    step([&](ec::Actions& a) { s.on_packet(id, p, a); });
  }

  void down(ec::TransportId id, bool error) {
    say("on_transport_down", id);
    step([&](ec::Actions& a) { s.on_transport_down(id, error, "down", a); });
    FUZZ_REQUIRE(!ts.at(id).live);  // released at once
  }

  static bool can_receive(const Transport& t) {
    return t.live && (t.kind == ec::TransportKind::polling ? t.poll : t.connected);
  }

  static std::string open_packet(Reader& r) {
    const std::uint8_t f = r.byte();
    std::string sid;
    for (std::uint8_t c : r.bytes(f % 4)) sid += "abcdefghijklmnop"[c % 16];
    std::string o = "0{\"sid\":\"" + sid + "\",\"upgrades\":[";
    if (f & 0x04) o += "\"websocket\"";
    if (f & 0x08) o += std::string(f & 0x04 ? "," : "") + "\"polling\"";
    o += "],\"pingInterval\":" + std::to_string(r.byte()) + ",\"pingTimeout\":" + std::to_string(r.byte());
    if (f & 0x10) o += ",\"maxPayload\":" + std::to_string(r.byte());
    o += "}";
    if (f & 0x20) o += std::string("\x1e") + "4hi";  // a message right behind it
    return o;
  }

  void run(Reader& r) {
    const std::uint8_t op = r.byte();
    const bool stale_report = op & 0x80;
    switch (op % 12) {
      case 0:
        say("open");
        step([&](ec::Actions& a) { s.open(a); });
        break;
      case 1: {
        const bool binary = r.byte() & 1;
        send(r.bytes(r.byte()), binary);
        break;
      }
      case 2:
        say("close");
        step([&](ec::Actions& a) { s.close(a); });
        break;
      case 3:
      case 4:
      case 5:
      case 6:
      case 7:
        if (stale_report) {
          const auto id = pick(r.byte(), [](const Transport& t) { return !t.live; });
          if (id == 0) break;
          stale([&](ec::Actions& a) {
            switch (op % 12) {
              case 3: s.on_transport_open(id, a); break;
              case 4: s.on_packet(id, Packet{PacketType::message, false, "x"}, a); break;
              case 5: s.on_poll_response(id, "4x", a); break;
              case 6: s.on_write_done(id, a); break;
              default: s.on_transport_down(id, true, "late", a); break;
            }
          });
          break;
        }
        report(op % 12, r);
        break;
      case 8: {
        const std::uint8_t k = r.byte();
        if (stale_report) {
          const ec::TimerId id = ended.empty() ? 1000 + k : *std::next(ended.begin(), k % ended.size());
          stale([&](ec::Actions& a) { s.on_timer(id, a); });
        } else if (!armed.empty()) {
          const ec::TimerId id = *std::next(armed.begin(), k % armed.size());
          armed.erase(id);
          ended.insert(id);
          say("on_timer", id);
          step([&](ec::Actions& a) { s.on_timer(id, a); });
        }
        break;
      }
      case 9: {
        const auto id = pick(r.byte(), can_receive);
        const std::string o = open_packet(r);
        if (id) deliver(id, o, false);
        break;
      }
      case 10:
      case 11: {
        const auto id = pick(r.byte(), can_receive);
        if (id) deliver(id, op % 12 == 10 ? "3probe" : "2", false);
        break;
      }
    }
  }

  void report(int what, Reader& r) {
    const std::uint8_t k = r.byte();
    switch (what) {
      case 3: {
        const auto id = pick(k, [](const Transport& t) {
          return t.live && t.kind == ec::TransportKind::websocket && !t.connected;
        });
        if (!id) return;
        ts.at(id).connected = true;
        say("on_transport_open", id);
        step([&](ec::Actions& a) { s.on_transport_open(id, a); });
        return;
      }
      case 4: {
        const auto id = pick(k, [](const Transport& t) {
          return t.live && t.kind == ec::TransportKind::websocket && t.connected;
        });
        const bool binary = r.byte() & 1;
        const std::string_view data = r.bytes(r.byte());
        if (id) deliver(id, data, binary);
        return;
      }
      case 5: {
        const auto id = pick(k, [](const Transport& t) { return t.live && t.poll; });
        const std::string_view body = r.bytes(r.byte());
        if (id) deliver(id, body, false);
        return;
      }
      case 6: {
        const auto id = pick(k, [](const Transport& t) { return t.live && t.write; });
        if (!id) return;
        ts.at(id).write = false;
        say("on_write_done", id);
        step([&](ec::Actions& a) { s.on_write_done(id, a); });
        return;
      }
      default: {
        const auto id = pick(k, [](const Transport& t) { return t.live; });
        if (id) down(id, k & 1);
        return;
      }
    }
  }

  // Closes, then answers whatever is outstanding until the session is over.
  void finish() {
    if (s.state() == ec::ClientSession::State::idle) return;
    say("finish: close");
    step([&](ec::Actions& a) { s.close(a); });
    // Each round answers everything outstanding; a POST carries at least one
    // queued packet, so the queue bounds the rounds.
    const std::size_t rounds = 8 + 2 * s.queued();
    for (std::size_t round = 0; round < rounds && !closed; ++round) {
      for (auto& [key, t] : ts) {
        const ec::TransportId id = key;
        if (!t.live || closed) continue;
        if (t.kind == ec::TransportKind::websocket && !t.connected) {
          t.connected = true;
          say("on_transport_open", id);
          step([&](ec::Actions& a) { s.on_transport_open(id, a); });
        } else if (t.write) {
          t.write = false;
          say("on_write_done", id);
          step([&](ec::Actions& a) { s.on_write_done(id, a); });
        } else if (t.poll || (t.kind == ec::TransportKind::websocket && s.sid().empty())) {
          // A server answers a handshake with an open packet, a poll during
          // a close with a noop.
          deliver(id, opened ? "6" : "0{\"sid\":\"end\",\"upgrades\":[]}", false);
        }
      }
    }
    FUZZ_REQUIRE(closed);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  ec::SessionConfig cfg;
  switch (data[0] % 4) {
    case 0: break;  // polling, then websocket
    case 1: cfg.transports = {ec::TransportKind::websocket}; break;
    case 2: cfg.transports = {ec::TransportKind::polling}; break;
    default: cfg.transports = {ec::TransportKind::websocket, ec::TransportKind::polling}; break;
  }
  cfg.upgrade = (data[0] & 4) == 0;
  Harness h(std::move(cfg));
  Reader r{data + 1, size - 1};
  for (int steps = 0; r.n > 0 && steps < 200; ++steps) h.run(r);
  h.finish();
  return 0;
}
