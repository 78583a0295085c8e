// Runs tests/adapter/node_peer.mjs (a Node socket.io server on the official
// Redis adapter, with a socket.io-client and a Redis emitter) and talks to it
// in JSON lines: commands on its stdin, reports from its stdout.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "wire/sio_json.hpp"

extern char** environ;

namespace sio::test {

class NodePeer {
 public:
  explicit NodePeer(std::uint16_t redis_port) {
    const auto script = std::filesystem::path(__FILE__).parent_path() / "node_peer.mjs";
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::vector<std::string> args{"node", script.string(), std::to_string(redis_port)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, "node", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) throw std::runtime_error("cannot start node");
    to_ = in[1];
    from_ = out[0];
    reader_ = std::thread([this] { read_lines(); });
  }

  ~NodePeer() {
    ::close(to_);  // the peer exits when its stdin ends
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    reader_.join();
    ::close(from_);
  }

  void send(const boost::json::object& cmd) {
    const std::string line = boost::json::serialize(cmd) + "\n";
    if (::write(to_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) throw std::runtime_error("write");
  }

  // The first report (from the start) that `match` accepts; null after 10 s.
  boost::json::value wait(const std::function<bool(const boost::json::object&)>& match) {
    std::unique_lock lk(mu_);
    boost::json::value found;
    cv_.wait_for(lk, std::chrono::seconds(10), [&] {
      for (const auto& l : lines_)
        if (match(l)) {
          found = l;
          return true;
        }
      return false;
    });
    return found;
  }

  // Sends `cmd` and waits for its reply.
  boost::json::object ask(boost::json::object cmd) {
    const std::string name(cmd.at("cmd").get_string());
    const std::size_t seen = count([&](const boost::json::object& o) { return is_reply(o, name); });
    send(cmd);
    std::unique_lock lk(mu_);
    boost::json::object reply;
    cv_.wait_for(lk, std::chrono::seconds(10), [&] {
      std::size_t n = 0;
      for (const auto& l : lines_)
        if (is_reply(l, name) && n++ == seen) {
          reply = l.at("reply").get_object();
          return true;
        }
      return false;
    });
    return reply;
  }

  std::size_t count(const std::function<bool(const boost::json::object&)>& match) {
    std::lock_guard lk(mu_);
    std::size_t n = 0;
    for (const auto& l : lines_) n += match(l);
    return n;
  }

  // Matchers.
  static std::function<bool(const boost::json::object&)> client_got(std::string event) {
    return [event](const boost::json::object& o) {
      return o.contains("client") && o.at("client").at("event").get_string() == event;
    };
  }

 private:
  static bool is_reply(const boost::json::object& o, const std::string& name) {
    return o.contains("reply") && o.at("reply").at("cmd").get_string() == name;
  }

  void read_lines() {
    std::string buf;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(from_, chunk, sizeof chunk);
      if (n <= 0) return;
      buf.append(chunk, static_cast<std::size_t>(n));
      for (std::size_t nl; (nl = buf.find('\n')) != std::string::npos; buf.erase(0, nl + 1)) {
        std::error_code ec;
        auto v = wire::socketio::parse_json(std::string_view(buf).substr(0, nl), ec);
        if (ec || !v.is_object()) continue;  // not ours (a warning line)
        std::lock_guard lk(mu_);
        lines_.push_back(std::move(v.get_object()));
        cv_.notify_all();
      }
    }
  }

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<boost::json::object> lines_;
};

}  // namespace sio::test
