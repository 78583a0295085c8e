#include "message_json.hpp"

#include <boost/json/object.hpp>

#include "text_rules.hpp"

namespace chat {

boost::json::value message_json(const Message& m, sio::PayloadBuilder& binaries) {
  boost::json::object o;
  o["id"] = m.id;
  o["room"] = m.room;
  o["from"] = m.from;
  o["time"] = m.time;
  if (!m.is_file) {
    o["kind"] = "text";
    o["text"] = m.text;
    return o;
  }
  o["kind"] = "file";
  boost::json::object f;
  f["name"] = m.file_name;
  f["type"] = m.file_type;
  f["size"] = m.file_size;
  if (m.expired) {
    f["expired"] = true;
  } else {
    f["data"] = binaries.add(m.file_data);
  }
  o["file"] = std::move(f);
  return o;
}

sio::Payload failure(std::string_view code, std::string_view message) {
  boost::json::object o;
  o["ok"] = false;
  o["error"] = code;
  o["message"] = message.empty() ? error_message(code) : message;
  return sio::Payload(boost::json::value(std::move(o)));
}

}  // namespace chat
