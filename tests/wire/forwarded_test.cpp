// The client's address behind trusted proxies (X-Forwarded-For).
#include "wire/forwarded.hpp"

#include <gtest/gtest.h>

using sio::wire::client_address;

TEST(Forwarded, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(client_address("10.0.0.9", "1.2.3.4", {}), "10.0.0.9");
}

TEST(Forwarded, AnUntrustedPeerCannotNameAnotherAddress) {
  EXPECT_EQ(client_address("10.0.0.9", "1.2.3.4", {"127.0.0.1"}), "10.0.0.9");
}

TEST(Forwarded, TheFirstUntrustedHopFromTheRight) {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.2"};
  EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4", proxies), "1.2.3.4");
  // A client's own X-Forwarded-For comes first; the proxies append after it.
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 1.2.3.4", proxies), "1.2.3.4");
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 1.2.3.4 , 10.0.0.2", proxies), "1.2.3.4");
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6,1.2.3.4,,10.0.0.2", proxies), "1.2.3.4");
}

TEST(Forwarded, NoUsableHopLeavesTheLastOneNamed) {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.2"};
  EXPECT_EQ(client_address("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", " , ", proxies), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.2", proxies), "10.0.0.2");
}
