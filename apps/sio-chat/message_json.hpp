// Messages as the protocol writes them (PROTOCOL.md, "Data"); a file's bytes
// become a binary attachment through the PayloadBuilder.
#pragma once

#include <boost/json/value.hpp>
#include <sio/payload.hpp>

#include "chat_state.hpp"

namespace chat {

boost::json::value message_json(const Message& m, sio::PayloadBuilder& binaries);

// {ok: false, error: code, message: sentence}
sio::Payload failure(std::string_view code, std::string_view message = {});

}  // namespace chat
