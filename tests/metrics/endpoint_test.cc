#include "metrics/endpoint.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "test_util.h"

namespace logchain::metrics {
namespace {

TEST(EndpointTest, ListenAddresses) {
  struct Case {
    std::string_view text;
    bool ok;
    std::string_view shown_or_problem;
  };
  const Case cases[] = {
      {"127.0.0.1:9100", true, "127.0.0.1:9100"},
      {"0.0.0.0:0", true, "0.0.0.0:0"},
      {"[::1]:9100", true, "[::1]:9100"},
      {"[::]:65535", true, "[::]:65535"},
      {"9100", false, "has no port"},
      {"127.0.0.1", false, "has no port"},
      {"127.0.0.1:", false, "is not a port number"},
      {"127.0.0.1:65536", false, "is not a port number"},
      {"127.0.0.1:-1", false, "is not a port number"},
      {"127.0.0.1:91o0", false, "is not a port number"},
      {"127.0.0.1:9100s", false, "is not a port number"},
      {"localhost:9100", false, "(write 127.0.0.1)"},
      {"example.com:9100", false, "is not an IP address"},
      {":9100", false, "is not an IP address"},
      {"::1:9100", false, "needs brackets"},
      {"[::1]9100", false, "is not [IPV6]:PORT"},
      {"[::1", false, "is not [IPV6]:PORT"},
      {"[127.0.0.1]:9100", false, "is not an IP address"},
      {"300.0.0.1:9100", false, "is not an IP address"},
  };
  for (const Case& c : cases) {
    ListenAddress address;
    std::string problem;
    EXPECT_EQ(c.ok, ParseListenAddress(c.text, &address, &problem)) << c.text;
    if (c.ok) {
      EXPECT_EQ(c.shown_or_problem, address.ToString());
    } else {
      EXPECT_NE(std::string::npos, problem.find(c.shown_or_problem)) << c.text << ": " << problem;
    }
  }
}

// One HTTP GET over loopback, the whole response.
std::string Get(int port, const std::string& path, const std::string& headers = "") {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return "";
  }
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + "\r\n";
  (void)::write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return response;
}

std::shared_ptr<MetricsHub> Hub() {
  return std::make_shared<MetricsHub>(RouteTable(), 64, &logchain::testing::TestClock());
}

// An endpoint serving hub on a free loopback port (null when it cannot start).
std::unique_ptr<MetricsEndpoint> StartOnFreePort(std::shared_ptr<MetricsHub> hub,
                                                 std::string* error) {
  ListenAddress address;
  if (!ParseListenAddress("127.0.0.1:0", &address, error)) return nullptr;
  return MetricsEndpoint::Start(address, std::move(hub), error);
}

TEST(EndpointTest, ServesTheHubAtSlashMetrics) {
  auto hub = Hub();
  PipelineConfig config;
  config.chain = DefaultChainConfig();
  ASSERT_TRUE(
      logchain::testing::RunText(
          config,
          "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"PUT /x HTTP/1.1\" 201 7 \"-\" \"c\"\n",
          hub.get())
          .ok);
  std::string error;
  auto endpoint = StartOnFreePort(hub, &error);
  ASSERT_NE(nullptr, endpoint) << error;
  ASSERT_NE(0, endpoint->port());
  EXPECT_EQ("http://127.0.0.1:" + std::to_string(endpoint->port()) + "/metrics", endpoint->url());
  const std::string response = Get(endpoint->port(), "/metrics");
  EXPECT_NE(std::string::npos, response.find("200 OK")) << response;
  EXPECT_NE(std::string::npos, response.find("Content-Type: text/plain")) << response;
  EXPECT_NE(std::string::npos,
            response.find("http_requests_total{method=\"PUT\",status=\"201\"} 1\n"))
      << response;
  EXPECT_NE(std::string::npos, response.find("logchain_lines_read_total 1\n")) << response;
}

TEST(EndpointTest, ServesOpenMetricsToAScraperThatPrefersIt) {
  auto hub = Hub();
  std::string error;
  auto endpoint = StartOnFreePort(hub, &error);
  ASSERT_NE(nullptr, endpoint) << error;
  const std::string response = Get(
      endpoint->port(), "/metrics",
      "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5\r\n");
  EXPECT_NE(std::string::npos, response.find("200 OK")) << response;
  EXPECT_NE(std::string::npos,
            response.find("Content-Type: application/openmetrics-text; version=1.0.0"))
      << response;
  EXPECT_NE(std::string::npos, response.find("# TYPE logchain_lines_read counter\n")) << response;
  EXPECT_NE(std::string::npos, response.find("logchain_lines_read_total 0\n")) << response;
  EXPECT_TRUE(response.ends_with("# EOF\n")) << response;
  const std::string text = Get(endpoint->port(), "/metrics", "Accept: text/plain\r\n");
  EXPECT_NE(std::string::npos, text.find("Content-Type: text/plain; version=0.0.4")) << text;
  EXPECT_EQ(std::string::npos, text.find("# EOF")) << text;
}

TEST(EndpointTest, ABusyPortIsRefusedWithTheReason) {
  auto hub = Hub();
  ListenAddress address;
  std::string error;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:0", &address, &error));
  auto first = MetricsEndpoint::Start(address, hub, &error);
  ASSERT_NE(nullptr, first) << error;
  address.port = first->port();
  auto second = MetricsEndpoint::Start(address, hub, &error);
  EXPECT_EQ(nullptr, second);
  EXPECT_NE(std::string::npos, error.find("Address already in use")) << error;
}

TEST(EndpointTest, AnAddressOfAnotherMachineIsRefused) {
  ListenAddress address;
  std::string error;
  // TEST-NET-1 (RFC 5737): never an address of this machine; nothing is sent.
  ASSERT_TRUE(ParseListenAddress("192.0.2.1:9100", &address, &error));
  EXPECT_EQ(nullptr, MetricsEndpoint::Start(address, Hub(), &error));
  EXPECT_NE(std::string::npos, error.find("Cannot assign requested address")) << error;
}

// Debian 12's civetweb is built without IPv6: the user is told that, not
// that the address is wrong.
TEST(EndpointTest, AnIPv6AddressIsRefusedNamingTheMissingSupport) {
  ListenAddress address;
  std::string error;
  ASSERT_TRUE(ParseListenAddress("[::1]:0", &address, &error));
  auto endpoint = MetricsEndpoint::Start(address, Hub(), &error);
  if (endpoint != nullptr) GTEST_SKIP() << "this civetweb serves IPv6";
  EXPECT_NE(std::string::npos, error.find("no IPv6 support")) << error;
}

// Stopping does not wait out the HTTP server's 2 s poll: a scrape right
// before the stop is answered, and the endpoint is gone right after.
TEST(EndpointTest, StopsAndReleasesThePort) {
  auto hub = Hub();
  ListenAddress address;
  std::string error;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:0", &address, &error));
  auto endpoint = MetricsEndpoint::Start(address, hub, &error);
  ASSERT_NE(nullptr, endpoint) << error;
  address.port = endpoint->port();
  EXPECT_NE(std::string::npos, Get(address.port, "/metrics").find("200 OK"));
  endpoint.reset();
  auto again = MetricsEndpoint::Start(address, hub, &error);
  EXPECT_NE(nullptr, again) << error;
}

}  // namespace
}  // namespace logchain::metrics
