// TLS for the server programs: the --tls-cert, --tls-key and --tls-client-ca
// flags, the server built with a clear message when a file is bad (the
// program exits 1), and SIGHUP reloading the files.
#pragma once

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include <CLI/CLI.hpp>
#include <sio/config.hpp>

namespace sio::apps {

inline void add_tls_options(CLI::App& app, TlsOptions& tls) {
  auto* cert = app.add_option("--tls-cert", tls.cert_file,
                              "PEM certificate chain (leaf first): the port serves https:// and wss:// only");
  auto* key = app.add_option("--tls-key", tls.key_file, "PEM private key of --tls-cert");
  app.add_option("--tls-client-ca", tls.client_ca_file,
                 "PEM CA: clients must present a certificate it signed (mutual TLS)")
      ->needs(cert);
  cert->needs(key);
  key->needs(cert);
}

// "http" or "https", for the "listening on" line.
inline const char* scheme(const TlsOptions& tls) { return tls.cert_file.empty() ? "http" : "https"; }

// Blocks SIGHUP in this thread and those started after (call it first thing).
inline void block_sighup() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

// Constructs the server; a bad TLS file (or a taken port) is printed, and
// the program exits 1.
template <class Server, class Options>
std::unique_ptr<Server> make_server(const char* prog, Options opts) {
  try {
    return std::make_unique<Server>(std::move(opts));
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
    std::exit(1);
  }
}

// SIGHUP: server.reload_tls(), its outcome on stderr (a failure keeps the
// current certificate). block_sighup() must have run before any thread started.
template <class Server>
void reload_tls_on_sighup(const char* prog, Server& server) {
  std::thread([prog, &server] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) return;
      std::string detail;
      if (const std::error_code ec = server.reload_tls(&detail))
        std::fprintf(stderr, "%s: TLS reload failed, the current certificate stays: %s\n", prog, detail.c_str());
      else
        std::fprintf(stderr, "%s: TLS certificate reloaded\n", prog);
    }
  }).detach();
}

}  // namespace sio::apps
