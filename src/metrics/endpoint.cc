#include "metrics/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <CivetServer.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <charconv>
#include <cstring>
#include <thread>

#include "metrics/hub.h"
#include "metrics/openmetrics.h"

namespace logchain::metrics {
namespace {

// The socket address of `address` with `port`; a wildcard address (0.0.0.0,
// ::) becomes loopback when `for_connect`.
socklen_t SocketAddress(const ListenAddress& address, int port, bool for_connect,
                        sockaddr_storage* out) {
  *out = sockaddr_storage{};
  if (address.ipv6) {
    auto* sa = reinterpret_cast<sockaddr_in6*>(out);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET6, address.host.c_str(), &sa->sin6_addr);
    if (for_connect && IN6_IS_ADDR_UNSPECIFIED(&sa->sin6_addr)) sa->sin6_addr = in6addr_loopback;
    return sizeof(sockaddr_in6);
  }
  auto* sa = reinterpret_cast<sockaddr_in*>(out);
  sa->sin_family = AF_INET;
  sa->sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, address.host.c_str(), &sa->sin_addr);
  if (for_connect && sa->sin_addr.s_addr == htonl(INADDR_ANY)) {
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }
  return sizeof(sockaddr_in);
}

// Binds a socket the way the server will, to report a precise reason
// (address in use, not an address of this machine, permission) before the
// server tries; civetweb itself only says that it could not start.
bool ProbeBind(const ListenAddress& address, std::string* error) {
  const int fd = ::socket(address.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage sa;
  const socklen_t length = SocketAddress(address, address.port, false, &sa);
  const int r = ::bind(fd, reinterpret_cast<const sockaddr*>(&sa), length);
  if (r != 0) *error = std::strerror(errno);
  ::close(fd);
  return r == 0;
}

// Opens and closes one connection to the server.
void Knock(const ListenAddress& address, int port) {
  const int fd = ::socket(address.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  sockaddr_storage sa;
  const socklen_t length = SocketAddress(address, port, true, &sa);
  // A refused or failed connection is fine: the server is stopping anyway.
  (void)::connect(fd, reinterpret_cast<const sockaddr*>(&sa), length);
  ::close(fd);
}

// GET /metrics: the hub's totals, as OpenMetrics when the scraper prefers
// it (Prometheus does) and in the Prometheus text format otherwise.
class MetricsHandler final : public CivetHandler {
 public:
  explicit MetricsHandler(std::shared_ptr<MetricsHub> hub) : hub_(std::move(hub)) {}

  bool handleGet(CivetServer* /*server*/, mg_connection* connection) override {
    const char* accept = mg_get_header(connection, "Accept");
    const bool open_metrics = PrefersOpenMetrics(accept == nullptr ? "" : accept);
    const std::string body = open_metrics ? OpenMetricsText(hub_->Collect()) : hub_->Text();
    const std::string_view type =
        open_metrics ? kOpenMetricsContentType : kPrometheusTextContentType;
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(type) +
                             "\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\nConnection: close\r\n\r\n";
    mg_write(connection, head.data(), head.size());
    mg_write(connection, body.data(), body.size());
    return true;
  }

 private:
  std::shared_ptr<MetricsHub> hub_;
};

}  // namespace

std::string ListenAddress::ToString() const {
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool ParseListenAddress(std::string_view text, ListenAddress* out, std::string* problem) {
  ListenAddress result;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *problem = "'" + std::string(text) + "' is not [IPV6]:PORT";
      return false;
    }
    result.host = std::string(text.substr(1, close - 1));
    result.ipv6 = true;
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *problem = "'" + std::string(text) + "' has no port";
      return false;
    }
    result.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (result.host.find(':') != std::string::npos) {
      *problem = "an IPv6 address needs brackets: [" + result.host + "]:" + std::string(port_text);
      return false;
    }
  }
  unsigned char buf[sizeof(in6_addr)];
  if (result.host.empty() ||
      ::inet_pton(result.ipv6 ? AF_INET6 : AF_INET, result.host.c_str(), buf) != 1) {
    *problem = "'" + result.host + "' is not an IP address" +
               (result.host == "localhost" ? " (write 127.0.0.1)" : "");
    return false;
  }
  int port = -1;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || ptr != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    *problem = "'" + std::string(port_text) + "' is not a port number from 0 to 65535";
    return false;
  }
  result.port = port;
  *out = std::move(result);
  return true;
}

std::unique_ptr<MetricsEndpoint> MetricsEndpoint::Start(const ListenAddress& address,
                                                        std::shared_ptr<MetricsHub> hub,
                                                        std::string* error) {
  if (address.port != 0 && !ProbeBind(address, error)) return nullptr;
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->address_ = address;
  endpoint->hub_ = std::move(hub);
  try {
    endpoint->handler_ = std::make_unique<MetricsHandler>(endpoint->hub_);
    endpoint->server_ = std::make_unique<CivetServer>(
        std::vector<std::string>{"listening_ports", address.ToString(), "num_threads", "2"});
    endpoint->server_->addHandler("/metrics", endpoint->handler_.get());
    const std::vector<int> ports = endpoint->server_->getListeningPorts();
    endpoint->port_ = ports.empty() ? address.port : ports.front();
  } catch (const std::exception& e) {
    *error = std::string("the HTTP server could not start: ") + e.what();
    // The bind itself was probed above; what fails for IPv6 alone is the server.
    if (address.ipv6) {
      *error =
          "the HTTP server that serves /metrics (civetweb, as Debian builds it) has no IPv6 "
          "support; listen on an IPv4 address instead, 0.0.0.0 for every interface";
    }
    return nullptr;
  }
  return endpoint;
}

// The HTTP server (civetweb) looks at its stop request only between waits
// on the listening socket, which last up to 2 s: without a nudge every run
// with --metrics-listen would end 2 s late. A connection ends the wait.
MetricsEndpoint::~MetricsEndpoint() {
  if (server_ == nullptr) return;
  std::atomic<bool> stopped{false};
  std::thread knocker([&] {
    while (!stopped.load()) {
      Knock(address_, port_);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  server_.reset();
  stopped.store(true);
  knocker.join();
}

std::string MetricsEndpoint::url() const {
  ListenAddress shown = address_;
  shown.port = port_;
  return "http://" + shown.ToString() + "/metrics";
}

}  // namespace logchain::metrics
