// The server's ordering (apps/sio-docs/document.cpp) with simulated pages
// running the client side of the algorithm (one operation in flight, a
// composed buffer: what web/docs/ot.js does), over random schedules with many
// seeds: edits, deliveries in any interleaving, connections dropping (losing
// what was in transit either way) and returning with a catch-up and a re-send.
// Every page ends with the server's text, and every edit is applied once.
#include "document.hpp"

#include <deque>
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include "random_ops.hpp"

namespace docs {
namespace {

using ot::Operation;

struct ToServer {
  std::uint64_t seq, base;
  Operation op;
};
struct ToPage {
  bool ack = false;   // else another page's operation, or a refusal
  bool refused = false;
  std::uint64_t revision = 0;
  Operation op;
  std::uint64_t seq = 0;  // of the acknowledged operation
};

struct Page {
  std::string id;
  std::u32string text;
  std::uint64_t revision = 0;
  std::optional<std::pair<std::uint64_t, Operation>> inflight;  // seq, op
  std::optional<Operation> buffer;
  std::uint64_t seq = 0;
  bool online = true;
  std::deque<ToServer> up;
  std::deque<ToPage> down;
  std::deque<ToServer> replay;  // sent again after the next join (socket.io-client's send buffer)

  bool synchronized() const { return !inflight && !buffer; }
  void send() {
    if (online && inflight) up.push_back({inflight->first, revision, inflight->second});
  }
  void next() {
    if (inflight || !buffer) return;
    inflight.emplace(++seq, std::move(*buffer));
    buffer.reset();
    send();
  }
  void local(const Operation& op) {
    text = *ot::apply(text, op);
    if (op.is_noop()) return;
    if (inflight) {
      buffer = buffer ? *ot::compose(*buffer, op) : op;
    } else {
      inflight.emplace(++seq, op);
      send();
    }
  }
  void remote(Operation op) {
    if (inflight) std::tie(inflight->second, op) = *ot::transform(inflight->second, op);
    if (buffer) std::tie(*buffer, op) = *ot::transform(*buffer, op);
    text = *ot::apply(text, op);
    ++revision;
  }
  void receive(const ToPage& m) {
    if (m.refused) {  // the page reloads the whole text on its next connection
      online = false;
      inflight.reset();
      buffer.reset();
      revision = UINT64_MAX;
      up.clear();
      down.clear();
    } else if (m.ack) {
      if (!inflight || inflight->first != m.seq) return;  // a repeat's answer: already counted
      revision = m.revision;
      inflight.reset();
      next();
    } else {
      remote(m.op);
    }
  }
  // The join answer after a reconnection (DocsServer::join, DocClient.resync).
  void rejoin(const Document& doc) {
    online = true;
    up = std::move(replay);
    replay.clear();
    auto missed = revision == UINT64_MAX ? std::nullopt : doc.since(revision);
    if (missed) {
      for (const Revision* r : *missed) {
        if (r->client == id && inflight && r->seq == inflight->first) {
          inflight.reset();
          revision = r->number;
        } else if (r->client == id) {
          revision = r->number;
        } else {
          remote(r->op);
        }
      }
    } else {
      if (inflight && doc.last_seq(id) >= inflight->first) inflight.reset();
      text = doc.text();
      inflight.reset();
      buffer.reset();
    }
    revision = doc.revision();
    if (inflight) send();
    else next();
  }
};

struct Stats {
  std::size_t edits = 0, drops = 0, transformed = 0, repeats = 0, refused = 0;
};

// One random schedule; returns what happened, fails the test on divergence.
Stats simulate(unsigned seed, DocLimits limits, int steps) {
  std::mt19937 rng(seed);
  Document doc(limits);
  std::vector<Page> pages(3);
  for (std::size_t i = 0; i < pages.size(); ++i) pages[i].id = "page-" + std::to_string(i);
  std::map<std::pair<std::string, std::uint64_t>, int> applied;  // (client, seq) -> times
  Stats run;
  auto deliver_up = [&](std::size_t i) {
    Page& p = pages[i];
    ToServer m = std::move(p.up.front());
    p.up.pop_front();
    if (m.base < doc.revision()) ++run.transformed;
    auto result = doc.submit(p.id, m.seq, m.base, std::move(m.op));
    if (auto* r = std::get_if<Refusal>(&result)) {
      EXPECT_EQ(*r, Refusal::stale_revision) << "seed " << seed;  // the only one a page can earn
      ++run.refused;
      p.down.push_back({false, true, 0, {}, m.seq});
      return;
    }
    const Accepted& a = std::get<Accepted>(result);
    if (!a.applied) {
      ++run.repeats;
    } else {
      ++applied[{p.id, m.seq}];
      for (std::size_t j = 0; j < pages.size(); ++j) {
        if (j != i && pages[j].online) pages[j].down.push_back({false, false, a.revision, a.applied->op, 0});
      }
    }
    p.down.push_back({true, false, a.revision, {}, m.seq});
  };
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };

  for (int step = 0; step < steps; ++step) {
    Page& p = pages[pick(pages.size())];
    std::size_t i = static_cast<std::size_t>(&p - pages.data());
    int what = std::uniform_int_distribution<int>(0, 99)(rng);
    if (what < 35) {
      p.local(test::random_op(rng, p.text.size()));
      ++run.edits;
    } else if (what < 65) {
      if (!p.up.empty()) deliver_up(i);
    } else if (what < 95) {
      if (!p.down.empty()) {
        ToPage m = std::move(p.down.front());
        p.down.pop_front();
        p.receive(m);
      }
    } else if (what < 98) {
      if (p.online) {  // the connection dies: whatever was in transit is lost, or sent again later
        p.online = false;
        if (pick(2) == 0) p.replay = p.up;
        p.up.clear();
        p.down.clear();
        ++run.drops;
      }
    } else if (!p.online) {
      p.rejoin(doc);
    }
  }
  // Everyone back, everything delivered.
  for (bool busy = true; busy;) {
    busy = false;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      Page& p = pages[i];
      if (!p.online) p.rejoin(doc);
      while (!p.up.empty()) {
        deliver_up(i);
        busy = true;
      }
      while (!p.down.empty()) {
        ToPage m = std::move(p.down.front());
        p.down.pop_front();
        p.receive(m);
        busy = true;
      }
      if (!p.online) busy = true;
    }
  }
  for (const Page& p : pages) {
    EXPECT_TRUE(p.synchronized()) << "seed " << seed;
    EXPECT_EQ(p.revision, doc.revision()) << "seed " << seed;
    EXPECT_EQ(ot::to_utf8(p.text), ot::to_utf8(doc.text())) << "seed " << seed << ", " << p.id;
  }
  for (const auto& [key, times] : applied) EXPECT_EQ(times, 1) << "seed " << seed;
  EXPECT_EQ(applied.size(), doc.revision()) << "seed " << seed;
  return run;
}

TEST(DocumentProperties, PagesConvergeAndEditsApplyOnce) {
  Stats total;
  for (unsigned seed = 1; seed <= 500; ++seed) {
    Stats r = simulate(seed, DocLimits{}, 300);
    total.edits += r.edits;
    total.drops += r.drops;
    total.transformed += r.transformed;
    total.repeats += r.repeats;
    if (HasFailure()) return;
  }
  // The schedules did exercise what they are for.
  EXPECT_GT(total.transformed, 1000u);
  EXPECT_GT(total.drops, 100u);
  EXPECT_GT(total.repeats, 10u);
  std::printf("500 seeds: %zu edits, %zu transformed on the server, %zu drops, %zu repeats ignored\n", total.edits,
              total.transformed, total.drops, total.repeats);
}

// With a short history, late edits are refused as stale and pages reload the
// text: they still end equal to the server's.
TEST(DocumentProperties, ShortHistoryStillConverges) {
  std::size_t refused = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    refused += simulate(seed, DocLimits{.history = 2}, 300).refused;
    if (HasFailure()) return;
  }
  EXPECT_GT(refused, 0u);
}

Operation insert_at(std::size_t length, std::size_t at, std::u32string_view text) {
  Operation op;
  op.retain(at).insert(text).retain(length - at);
  return op;
}

TEST(Document, OrdersAndTransforms) {
  Document doc;
  ASSERT_TRUE(std::holds_alternative<Accepted>(doc.submit("a", 1, 0, insert_at(0, 0, U"héllo"))));
  // Two edits made on revision 1; the second is transformed past the first.
  ASSERT_EQ(std::get<Accepted>(doc.submit("a", 2, 1, insert_at(5, 5, U" 👋"))).revision, 2u);
  auto b = doc.submit("b", 1, 1, insert_at(5, 0, U"¡"));
  ASSERT_EQ(std::get<Accepted>(b).revision, 3u);
  EXPECT_EQ(ot::to_utf8(doc.text()), "¡héllo 👋");
  EXPECT_EQ(doc.transform_index(1, 5), 6u);  // end of "héllo" then, before " 👋" now
  EXPECT_EQ(doc.transform_index(1, 6), std::nullopt);
  EXPECT_EQ(doc.since(1)->size(), 2u);
  EXPECT_EQ(doc.since(4), std::nullopt);
}

TEST(Document, RepeatsAreAnsweredNotApplied) {
  Document doc;
  doc.submit("a", 1, 0, insert_at(0, 0, U"x"));
  auto again = doc.submit("a", 1, 0, insert_at(0, 0, U"x"));
  ASSERT_TRUE(std::holds_alternative<Accepted>(again));
  EXPECT_EQ(std::get<Accepted>(again).applied, nullptr);
  EXPECT_EQ(std::get<Accepted>(again).revision, 1u);
  EXPECT_EQ(ot::to_utf8(doc.text()), "x");
  EXPECT_EQ(doc.last_seq("a"), 1u);
}

TEST(Document, Refusals) {
  Document doc(DocLimits{.max_length = 10, .history = 2, .max_components = 4, .clients = 2});
  doc.submit("a", 1, 0, insert_at(0, 0, U"abc"));
  EXPECT_EQ(std::get<Refusal>(doc.submit("a", 2, 5, insert_at(3, 0, U"x"))), Refusal::bad_revision);
  EXPECT_EQ(std::get<Refusal>(doc.submit("a", 2, 1, insert_at(2, 0, U"x"))), Refusal::bad_op);  // wrong length
  EXPECT_EQ(std::get<Refusal>(doc.submit("a", 2, 1, insert_at(3, 0, U"12345678"))), Refusal::too_large);
  Operation many;
  many.retain(1).insert(U"x").retain(1).remove(1).insert(U"y");
  EXPECT_EQ(std::get<Refusal>(doc.submit("a", 2, 1, many)), Refusal::too_large);
  doc.submit("a", 2, 1, insert_at(3, 3, U"d"));
  doc.submit("a", 3, 2, insert_at(4, 4, U"e"));
  doc.submit("a", 4, 3, insert_at(5, 5, U"f"));
  EXPECT_EQ(std::get<Refusal>(doc.submit("b", 1, 1, insert_at(3, 0, U"x"))), Refusal::stale_revision);
  EXPECT_EQ(ot::to_utf8(doc.text()), "abcdef");
  // Client ids are remembered up to the limit, least recently heard forgotten.
  doc.submit("b", 1, 4, insert_at(6, 0, U"1"));
  doc.submit("c", 1, 5, insert_at(7, 0, U"2"));
  EXPECT_EQ(doc.last_seq("a"), 0u);
  EXPECT_EQ(doc.last_seq("c"), 1u);
}

}  // namespace
}  // namespace docs
