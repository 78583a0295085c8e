// The CLI's text form of event arguments: JSON values, with a binary blob
// written as {"_binary":"<base64>"} (in input and in output, at any depth).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include <sio/payload.hpp>

namespace cli {

// One input line "event-name [json [json ...]]": the name and the arguments.
struct Command {
  std::string event;
  sio::Args args;
};
// nullopt with `error` set when the line does not parse.
std::optional<Command> parse_command(std::string_view line, std::string& error);

// A payload as JSON, blobs as {"_binary": base64}.
boost::json::value to_json(const sio::Payload& p);
boost::json::value to_json(const sio::Args& args);

}  // namespace cli
