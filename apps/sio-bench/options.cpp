#include "options.hpp"

namespace sio::bench {

std::string_view name_of(ScenarioKind k) noexcept {
  switch (k) {
    case ScenarioKind::echo: return "echo";
    case ScenarioKind::rate: return "rate";
    case ScenarioKind::bcast: return "bcast";
    case ScenarioKind::idle: return "idle";
    case ScenarioKind::connect: return "connect";
    case ScenarioKind::soak: return "soak";
  }
  return "?";
}

std::string_view name_of(Transport t) noexcept {
  switch (t) {
    case Transport::websocket: return "websocket";
    case Transport::polling: return "polling";
    case Transport::upgrade: return "upgrade";
  }
  return "?";
}

}  // namespace sio::bench
