// The client's address behind proxies: X-Forwarded-For is believed only when
// the peer that sent it is a proxy the user trusts, and then read from the
// right (each proxy appends the address it got the request from), skipping
// trusted proxies, so that a client cannot name an address of its choosing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sio::wire {

// `peer`: the TCP peer's address; `x_forwarded_for`: the field's value (all
// of them joined with ","), or empty; `trusted`: proxies' exact addresses.
// Returns a view into `peer` or `x_forwarded_for`.
std::string_view client_address(std::string_view peer, std::string_view x_forwarded_for,
                                const std::vector<std::string>& trusted);

}  // namespace sio::wire
