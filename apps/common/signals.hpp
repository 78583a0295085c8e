// SIGINT / SIGTERM -> a stop callback, run on a helper thread (not in the
// signal handler), so servers shut down gracefully.
#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace sio::apps {

inline void stop_on_signals(std::function<void()> stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // threads started later inherit the mask
  std::thread([set, stop = std::move(stop)] {
    int sig = 0;
    sigwait(&set, &sig);
    stop();
  }).detach();
}

}  // namespace sio::apps
