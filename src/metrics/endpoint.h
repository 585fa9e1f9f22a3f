// MetricsEndpoint: /metrics over HTTP for --metrics-listen, served by
// civetweb (the embedded HTTP server prometheus-cpp's Exposer is built on,
// with its own threads) in the Prometheus text format or, when the scraper
// prefers it, OpenMetrics.
//
// The address is checked when the command line is read, and the port is
// bound before any input is read, so a wrong or busy address stops logchain
// at start (exit 2) rather than after hours of logs.
#ifndef LOGCHAIN_METRICS_ENDPOINT_H_
#define LOGCHAIN_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <string_view>

#include "metrics/hub.h"

class CivetServer;
class CivetHandler;

namespace logchain::metrics {

struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 literal, without brackets
  int port = 0;      // 0: any free port (logchain reports the one it got)
  bool ipv6 = false;
  /// "127.0.0.1:9100" or "[::1]:9100".
  std::string ToString() const;
};

/// Parses ADDR:PORT: an IPv4 address or a bracketed IPv6 address, and a port
/// from 0 to 65535. False with *problem saying what is wrong.
bool ParseListenAddress(std::string_view text, ListenAddress* out, std::string* problem);

class MetricsEndpoint {
 public:
  /// Binds the address and starts serving hub at /metrics. Null with *error
  /// set (the reason the port could not be bound) on failure.
  static std::unique_ptr<MetricsEndpoint> Start(const ListenAddress& address,
                                                std::shared_ptr<MetricsHub> hub,
                                                std::string* error);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  /// The port actually bound (the chosen one when 0 was asked for).
  int port() const { return port_; }
  /// "http://127.0.0.1:9100/metrics".
  std::string url() const;

 private:
  MetricsEndpoint() = default;
  ListenAddress address_;
  int port_ = 0;
  std::shared_ptr<MetricsHub> hub_;
  std::unique_ptr<CivetHandler> handler_;
  std::unique_ptr<CivetServer> server_;  // declared last: stopped first
};

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_ENDPOINT_H_
