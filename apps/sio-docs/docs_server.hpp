// sio-docs on a sio::Server: the protocol of PROTOCOL.md on the main
// namespace. One Document, one room ("doc") holding every page that joined.
// The server runs several event loops, so one (recursive) mutex serialises the
// document: operations are applied and broadcast under it, so every page gets
// them in revision order. (Recursive: a disconnect requested under it may run
// its handler at once on this thread.)
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/json/value.hpp>
#include <sio/server.hpp>

#include "document.hpp"

namespace docs {

class DocsServer {
 public:
  DocsServer(sio::Server& io, DocLimits limits);

 private:
  struct Member {
    std::string name;
    std::string color;
    std::string client;  // the page's secret id, never sent to others
    std::size_t from = 0, to = 0;  // selection in the current revision
  };

  void accept(sio::Socket& socket);
  boost::json::value join(sio::Socket& socket, const sio::Payload& p);
  boost::json::value edit(sio::Socket& socket, const sio::Payload& p);
  boost::json::value cursor(sio::Socket& socket, const sio::Payload& p);
  void leave(const std::string& id);
  std::string pick_color(const std::string& client) const;
  boost::json::value users() const;
  void broadcast_presence();

  sio::Server& io_;
  std::recursive_mutex mutex_;
  Document doc_;
  std::unordered_map<std::string, Member> members_;  // by socket id, once joined
};

}  // namespace docs
