// Runs a ClientSession (engine/client_session.hpp) over real transports: every
// action the session returns is executed here, every transport event is fed
// back to it. Actions are executed in the order they were produced, also when
// a listener callback (user code) calls back into the link.
#include "net/client/engine_link.hpp"

#include <deque>
#include <unordered_map>
#include <variant>

#include "net/client/client_loop.hpp"
#include "net/client/polling_transport.hpp"
#include "net/client/ws_transport.hpp"

namespace sio::net::client {

namespace ec = engine::client;
using namespace std::chrono_literals;

namespace {

// How long a closing link may take to write what was queued before it gives up.
constexpr auto kCloseGrace = 5000ms;

struct Shared {
  EngineTarget target;
  std::shared_ptr<TlsContext> tls;  // null: plain
};

class LinkImpl : public std::enable_shared_from_this<LinkImpl> {
 public:
  LinkImpl(ClientLoop& loop, std::shared_ptr<const Shared> shared, EngineListener& listener)
      : loop_(loop), shared_(std::move(shared)), fsm_(shared_->target.session), listener_(&listener) {}

  void start() {
    step([&](ec::Actions& a) { fsm_.open(a); });
  }

  void send(std::string_view data, bool binary) {
    step([&](ec::Actions& a) { fsm_.send(data, binary, a); });
  }

  void close(std::function<void()> on_finished) {
    listener_ = nullptr;
    if (on_finished) {
      if (finished_) {
        loop_.post(std::move(on_finished));
      } else {
        on_finished_.push_back(std::move(on_finished));
      }
    }
    if (close_requested_ || fsm_.state() == ec::ClientSession::State::closed) {
      check_finished();
      return;
    }
    close_requested_ = true;
    // Stay alive (held by the timer) while the queue drains; give up after a while.
    close_timer_ = loop_.start_timer(kCloseGrace, [self = shared_from_this()] {
      self->close_timer_ = 0;
      self->drop_all();
    });
    step([&](ec::Actions& a) { fsm_.close(a); });
  }

  bool writable() const { return fsm_.writable(); }
  std::string_view transport_name() const {
    const auto t = fsm_.transport();
    return t ? ec::to_string(*t) : std::string_view("none");
  }

 private:
  using Transport = std::variant<std::shared_ptr<PollingTransport>, std::shared_ptr<WsTransport>>;

  template <class F>
  void step(F&& f) {
    ec::Actions a;
    f(a);
    run(a);
  }

  void run(ec::Actions& a) {
    auto keep = shared_from_this();  // a callback below may drop the last owner
    for (auto& x : a) pending_.push_back(std::move(x));
    if (running_) return;  // the outer run() executes them, in order
    running_ = true;
    while (!pending_.empty()) {
      ec::Action x = std::move(pending_.front());
      pending_.pop_front();
      std::visit([&](auto& act) { execute(act); }, x);
    }
    running_ = false;
  }

  // Feeds a transport event to the session, if the link is still alive.
  template <class F>
  static auto report(std::weak_ptr<LinkImpl> w, F f) {
    return [w = std::move(w), f = std::move(f)](auto&&... args) {
      if (auto self = w.lock()) {
        ec::Actions a;
        f(*self, a, std::forward<decltype(args)>(args)...);
        self->run(a);
      }
    };
  }

  TransportCallbacks callbacks(ec::TransportId id, ec::TransportKind kind) {
    TransportCallbacks cb;
    auto w = weak_from_this();
    cb.on_open = report(w, [id](LinkImpl& l, ec::Actions& a) { l.fsm_.on_transport_open(id, a); });
    cb.on_drain = report(w, [id](LinkImpl& l, ec::Actions& a) { l.fsm_.on_write_done(id, a); });
    cb.on_down = report(w, [id](LinkImpl& l, ec::Actions& a, bool error, std::string d) {
      l.fsm_.on_transport_down(id, error, d, a);
    });
    if (kind == ec::TransportKind::polling) {
      cb.on_data = report(w, [id](LinkImpl& l, ec::Actions& a, std::string_view data, bool) {
        l.fsm_.on_poll_response(id, data, a);
      });
    } else {
      cb.on_data = report(w, [id](LinkImpl& l, ec::Actions& a, std::string_view data, bool binary) {
        wire::eio::Packet p = wire::eio::binary_message(data);
        if (!binary && !wire::eio::decode_text(data, p)) {
          l.fsm_.on_transport_down(id, true, "parse error: invalid packet", a);
          return;
        }
        l.fsm_.on_packet(id, p, a);
      });
    }
    return cb;
  }

  void execute(ec::act::OpenTransport& o) {
    const auto& t = shared_->target;
    auto& ctx = loop_.context();
    if (o.kind == ec::TransportKind::polling) {
      transports_[o.id] = std::make_shared<PollingTransport>(ctx, shared_->tls, t.endpoint, t.max_message_size,
                                                             callbacks(o.id, o.kind));
    } else {
      auto ws = std::make_shared<WsTransport>(ctx, shared_->tls, t.endpoint, t.max_message_size,
                                              callbacks(o.id, o.kind));
      transports_[o.id] = ws;
      ws->open(o.sid);
    }
  }

  void execute(ec::act::Poll& p) {
    if (auto* t = polling(p.id)) t->poll(p.sid);
  }

  void execute(ec::act::Write& w) {
    auto it = transports_.find(w.id);
    if (it == transports_.end()) return;
    if (auto* poll = std::get_if<std::shared_ptr<PollingTransport>>(&it->second)) {
      std::string body;
      for (const auto& p : w.packets) wire::eio::append_polling(body, p.data, p.binary);
      (*poll)->post(w.sid, std::move(body));
    } else {
      std::vector<std::pair<std::string, bool>> frames;
      frames.reserve(w.packets.size());
      for (auto& p : w.packets) frames.emplace_back(std::move(p.data), p.binary);
      std::get<std::shared_ptr<WsTransport>>(it->second)->send(std::move(frames));
    }
  }

  void execute(ec::act::CloseTransport& c) {
    auto it = transports_.find(c.id);
    if (it == transports_.end()) return;
    // The transport reports when its goodbye is written; the link is
    // finished when every transport is.
    ++closing_;
    auto done = [self = shared_from_this()] {
      --self->closing_;
      self->check_finished();
    };
    std::visit([&](auto& t) {
      if constexpr (std::is_same_v<std::decay_t<decltype(t)>, std::shared_ptr<PollingTransport>>) {
        t->close(c.sid, c.graceful, std::move(done));
      } else {
        t->close(c.graceful, std::move(done));
      }
    }, it->second);
    transports_.erase(it);
  }

  void check_finished() {
    if (finished_ || closing_ > 0 || !transports_.empty()) return;
    if (fsm_.state() != ec::ClientSession::State::closed && fsm_.state() != ec::ClientSession::State::idle) return;
    finished_ = true;
    for (auto& f : std::exchange(on_finished_, {})) f();
  }

  void execute(ec::act::StartTimer& t) {
    timers_[t.id] = loop_.start_timer(t.after, report(weak_from_this(), [id = t.id](LinkImpl& l, ec::Actions& a) {
      l.timers_.erase(id);
      l.fsm_.on_timer(id, a);
    }));
  }

  void execute(ec::act::CancelTimer& t) {
    auto it = timers_.find(t.id);
    if (it == timers_.end()) return;
    loop_.cancel_timer(it->second);
    timers_.erase(it);
  }

  void execute(ec::act::Opened& o) {
    if (listener_) listener_->on_open(o.handshake);
  }
  void execute(ec::act::Message& m) {
    if (listener_) listener_->on_message(m.data, m.binary);
  }
  void execute(ec::act::Upgraded& u) {
    if (listener_) listener_->on_upgrade(u.to);
  }
  void execute(ec::act::UpgradeFailed&) {}  // polling goes on; nothing to tell
  void execute(ec::act::Closed& c) {
    if (close_timer_) {
      loop_.cancel_timer(close_timer_);
      close_timer_ = 0;
    }
    for (auto& [id, timer] : timers_) loop_.cancel_timer(timer);
    timers_.clear();
    if (auto* l = std::exchange(listener_, nullptr)) l->on_close(c.reason, c.description);
    check_finished();
  }

  PollingTransport* polling(ec::TransportId id) {
    auto it = transports_.find(id);
    if (it == transports_.end()) return nullptr;
    auto* p = std::get_if<std::shared_ptr<PollingTransport>>(&it->second);
    return p ? p->get() : nullptr;
  }

  // The close grace period ran out: drop everything without ceremony.
  void drop_all() {
    for (auto& [id, t] : transports_) {
      std::visit([](auto& p) {
        if constexpr (std::is_same_v<std::decay_t<decltype(p)>, std::shared_ptr<PollingTransport>>) {
          p->close({}, false);
        } else {
          p->close(false);
        }
      }, t);
    }
    transports_.clear();
    for (auto& [id, timer] : timers_) loop_.cancel_timer(timer);
    timers_.clear();
    closing_ = 0;
    finished_ = true;
    for (auto& f : std::exchange(on_finished_, {})) f();
  }

  ClientLoop& loop_;
  std::shared_ptr<const Shared> shared_;
  ec::ClientSession fsm_;
  EngineListener* listener_;
  std::unordered_map<ec::TransportId, Transport> transports_;
  std::unordered_map<ec::TimerId, engine::Loop::TimerId> timers_;
  engine::Loop::TimerId close_timer_ = 0;
  std::deque<ec::Action> pending_;
  bool running_ = false;
  bool close_requested_ = false;
  int closing_ = 0;                 // transports still writing their goodbye
  bool finished_ = false;
  std::vector<std::function<void()>> on_finished_;
};

class Link final : public EngineLink {
 public:
  explicit Link(std::shared_ptr<LinkImpl> impl) : impl_(std::move(impl)) {}
  ~Link() override { impl_->close({}); }
  void send(std::string_view data, bool binary) override { impl_->send(data, binary); }
  bool writable() const override { return impl_->writable(); }
  void close(std::function<void()> on_finished) override { impl_->close(std::move(on_finished)); }
  std::string_view transport_name() const override { return impl_->transport_name(); }

 private:
  std::shared_ptr<LinkImpl> impl_;
};

class Connector final : public EngineConnector {
 public:
  Connector(ClientLoop& loop, std::shared_ptr<const Shared> shared) : loop_(loop), shared_(std::move(shared)) {}
  std::unique_ptr<EngineLink> connect(EngineListener& listener) override {
    auto impl = std::make_shared<LinkImpl>(loop_, shared_, listener);
    auto link = std::make_unique<Link>(impl);
    impl->start();
    return link;
  }

 private:
  ClientLoop& loop_;
  std::shared_ptr<const Shared> shared_;
};

}  // namespace

std::unique_ptr<EngineConnector> make_connector(ClientLoop& loop, EngineTarget target) {
  auto shared = std::make_shared<Shared>();
  if (target.endpoint.secure) shared->tls = std::make_shared<TlsContext>(target.tls);
  shared->target = std::move(target);
  return std::make_unique<Connector>(loop, std::move(shared));
}

}  // namespace sio::net::client
