// Operations as JSON (PROTOCOL.md): an array whose items are, in order, a
// positive integer (retain that many code points), a non-empty string (insert
// it), or a negative integer (delete that many code points).
//   [5, "héllo 👋", -3, 2]  on an 10-code-point text: keep 5, insert 7, delete 3, keep 2
#pragma once

#include <variant>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "document.hpp"
#include "ot.hpp"

namespace docs {

// The operation, or bad_op (malformed) / too_large (more than `max_components`
// items, or more than `max_length` code points inserted).
std::variant<ot::Operation, Refusal> op_from_json(const boost::json::value& v, std::size_t max_components,
                                                  std::size_t max_length);

boost::json::array op_to_json(const ot::Operation& op);

}  // namespace docs
