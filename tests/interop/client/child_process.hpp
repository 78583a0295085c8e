// A child process for the interop tests (the Node server, our own servers):
// stdin to write JSON lines to, stdout read line by line on a thread of its
// own, so tests wait for a line with a bounded timeout instead of sleeping.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sio::test {

class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> argv) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      ::close(in[1]);
      ::close(out[0]);
      throw std::runtime_error("cannot start " + argv[0]);
    }
    stdin_ = in[1];
    ::fcntl(stdin_, F_SETFD, FD_CLOEXEC);
    ::fcntl(out[0], F_SETFD, FD_CLOEXEC);
    reader_ = std::thread([this, fd = out[0]] { read_loop(fd); });
  }

  ~ChildProcess() {
    kill(SIGKILL);
    wait();
    if (stdin_ >= 0) ::close(stdin_);
    if (reader_.joinable()) reader_.join();
  }

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void write_line(const std::string& line) {
    const std::string s = line + "\n";
    if (stdin_ >= 0 && ::write(stdin_, s.data(), s.size()) < 0) {
      // the child is gone; the test will notice by what it does not print
    }
  }

  // The first line (since the last one taken) that satisfies `pred`; lines
  // before it are consumed. nullopt on timeout or end of output.
  std::optional<std::string> wait_line(const std::function<bool(const std::string&)>& pred,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lk(mu_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      while (!lines_.empty()) {
        std::string l = std::move(lines_.front());
        lines_.pop_front();
        if (pred(l)) return l;
      }
      if (eof_) return std::nullopt;
      if (cv_.wait_until(lk, deadline) == std::cv_status::timeout && lines_.empty()) return std::nullopt;
    }
  }

  // A line containing `needle`.
  std::optional<std::string> wait_for(const std::string& needle,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait_line([&](const std::string& l) { return l.find(needle) != std::string::npos; }, timeout);
  }

  void kill(int sig) {
    if (pid_ > 0 && !exited_) ::kill(pid_, sig);
  }

  int wait() {
    if (pid_ <= 0 || exited_) return status_;
    ::waitpid(pid_, &status_, 0);
    exited_ = true;
    return status_;
  }

 private:
  void read_loop(int fd) {
    std::string buf;
    char chunk[4096];
    for (;;) {
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) break;
      buf.append(chunk, static_cast<std::size_t>(n));
      std::size_t pos;
      while ((pos = buf.find('\n')) != std::string::npos) {
        if (std::getenv("SIO_TEST_VERBOSE")) std::fprintf(stderr, "[child] %s\n", buf.substr(0, pos).c_str());
        {
          std::lock_guard lk(mu_);
          lines_.push_back(buf.substr(0, pos));
        }
        cv_.notify_all();
        buf.erase(0, pos + 1);
      }
    }
    ::close(fd);
    {
      std::lock_guard lk(mu_);
      eof_ = true;
    }
    cv_.notify_all();
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int status_ = 0;
  bool exited_ = false;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  bool eof_ = false;
};

}  // namespace sio::test
