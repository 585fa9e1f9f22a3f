// RouteTable: the --metrics-route path templates, giving request metrics a
// bounded `route` label.
//
// A template is an absolute path whose segments are literal text or a
// placeholder `{name}`, which matches exactly one non-empty segment:
// `/api/items/{id}` matches `/api/items/42` but not `/api/items/` or
// `/api/items/42/photos`. The query string and fragment of a request path are
// ignored. Templates are tried in the order given and the first match wins;
// a path no template matches is counted under the route "other", so the
// route label has at most (templates + 1) values whatever the traffic.
#ifndef LOGCHAIN_METRICS_ROUTE_TABLE_H_
#define LOGCHAIN_METRICS_ROUTE_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"

namespace logchain::metrics {

class RouteTable {
 public:
  /// More templates than this are refused: each one is a series per method
  /// and status.
  static constexpr size_t kMaxTemplates = 256;

  RouteTable() = default;

  /// Checks every template, reporting each problem with `where` (the flag or
  /// the configuration file position). False when any is wrong.
  static bool Build(const std::vector<std::string>& templates, const std::string& where,
                    RouteTable* table, Diagnostics& diagnostics);

  /// Number of templates; Match() returns this for "other".
  uint32_t size() const { return static_cast<uint32_t>(routes_.size()); }
  bool empty() const { return routes_.empty(); }
  /// The template text, or "other" for index size().
  std::string_view Label(uint32_t index) const;
  /// Index of the first template that matches the request path, else size().
  uint32_t Match(std::string_view path) const;

 private:
  struct Segment {
    std::string literal;
    bool placeholder = false;  // {name}: any one non-empty segment
  };
  struct Route {
    std::string text;
    std::vector<Segment> segments;
  };
  std::vector<Route> routes_;
};

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_ROUTE_TABLE_H_
