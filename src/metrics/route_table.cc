#include "metrics/route_table.h"

#include "metrics/labels.h"

namespace logchain::metrics {
namespace {

bool IsNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

// Splits "/a/b/" into "a", "b", "" (a trailing slash is an empty last segment,
// so "/items/" and "/items" are different routes, as they are to most apps).
template <typename Fn>
void ForEachSegment(std::string_view path, Fn fn) {
  path.remove_prefix(1);
  for (;;) {
    const size_t slash = path.find('/');
    if (!fn(path.substr(0, slash))) return;
    if (slash == std::string_view::npos) return;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

bool RouteTable::Build(const std::vector<std::string>& templates, const std::string& where,
                       RouteTable* table, Diagnostics& diagnostics) {
  bool ok = true;
  auto fail = [&](const std::string& text, const std::string& what, const std::string& hint) {
    diagnostics.Error(where, "route template '" + text + "' " + what, hint);
    ok = false;
  };
  if (templates.size() > kMaxTemplates) {
    diagnostics.Error(where,
                      std::to_string(templates.size()) + " route templates; at most " +
                          std::to_string(kMaxTemplates) + " are allowed",
                      "use placeholders ({id}) so one template covers many paths");
    return false;
  }
  RouteTable result;
  for (const std::string& text : templates) {
    if (text.empty() || text[0] != '/') {
      fail(text, "must be an absolute path", "write it as /api/items/{id}");
      continue;
    }
    if (text.find_first_of("?#") != std::string::npos) {
      fail(text, "contains a query or fragment", "routes match the path only: drop from ? or #");
      continue;
    }
    if (text == kOther) {
      fail(text, "is the name of the unmatched route", "choose another template");
      continue;
    }
    bool duplicate = false;
    for (const Route& r : result.routes_) duplicate = duplicate || r.text == text;
    if (duplicate) {
      fail(text, "is given twice", "list each template once");
      continue;
    }
    Route route{text, {}};
    bool good = true;
    ForEachSegment(text, [&](std::string_view segment) {
      if (segment.find_first_of("{}") == std::string_view::npos) {
        route.segments.push_back(Segment{std::string(segment), false});
        return true;
      }
      bool name_ok = segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
      for (size_t i = 1; name_ok && i + 1 < segment.size(); ++i) {
        name_ok = IsNameChar(segment[i], i == 1);
      }
      if (!name_ok) {
        fail(text, "has a bad placeholder '" + std::string(segment) + "'",
             "a placeholder is a whole segment: {name}, with letters, digits and _");
        good = false;
        return false;
      }
      route.segments.push_back(Segment{{}, true});
      return true;
    });
    if (good) result.routes_.push_back(std::move(route));
  }
  if (ok) *table = std::move(result);
  return ok;
}

std::string_view RouteTable::Label(uint32_t index) const {
  return index < routes_.size() ? std::string_view(routes_[index].text) : kOther;
}

uint32_t RouteTable::Match(std::string_view path) const {
  path = path.substr(0, path.find_first_of("?#"));
  if (path.empty() || path[0] != '/') return size();
  for (uint32_t i = 0; i < routes_.size(); ++i) {
    const std::vector<Segment>& segments = routes_[i].segments;
    size_t n = 0;
    bool match = true;
    ForEachSegment(path, [&](std::string_view segment) {
      if (n == segments.size()) {
        match = false;
        return false;
      }
      const Segment& s = segments[n++];
      match = s.placeholder ? !segment.empty() : s.literal == segment;
      return match;
    });
    if (match && n == segments.size()) return i;
  }
  return size();
}

}  // namespace logchain::metrics
