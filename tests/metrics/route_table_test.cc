#include "metrics/route_table.h"

#include <gtest/gtest.h>

namespace logchain::metrics {
namespace {

RouteTable Table(const std::vector<std::string>& templates) {
  RouteTable table;
  Diagnostics d;
  EXPECT_TRUE(RouteTable::Build(templates, "--metrics-route", &table, d)) << d.Format();
  return table;
}

TEST(RouteTableTest, PlaceholdersMatchOneNonEmptySegment) {
  const RouteTable t = Table(
      {"/api/items/new", "/api/items/{id}", "/api/items/{id}/photos/{photo}", "/", "/health"});
  struct Case {
    std::string_view path;
    std::string_view route;
  };
  const Case cases[] = {
      {"/api/items/new", "/api/items/new"},  // first match wins
      {"/api/items/42", "/api/items/{id}"},
      {"/api/items/42?expand=1&x=/a/b", "/api/items/{id}"},
      {"/api/items/42#top", "/api/items/{id}"},
      {"/api/items/42/photos/7", "/api/items/{id}/photos/{photo}"},
      {"/api/items/", "other"},
      {"/api/items", "other"},
      {"/api/items/42/photos", "other"},
      {"/api/items/42/photos/7/8", "other"},
      {"/api/items//photos/7", "other"},
      {"/", "/"},
      {"/?q=1", "/"},
      {"/health", "/health"},
      {"/health/", "other"},
      {"/healthz", "other"},
      {"", "other"},
      {"*", "other"},
      {"http://example.com/health", "other"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.route, t.Label(t.Match(c.path))) << c.path;
  EXPECT_EQ(5u, t.size());
  EXPECT_EQ("other", t.Label(t.size()));
}

TEST(RouteTableTest, NoTemplatesMeansEverythingIsOther) {
  const RouteTable t = Table({});
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(0u, t.Match("/anything"));
  EXPECT_EQ("other", t.Label(0));
}

TEST(RouteTableTest, BadTemplatesAreAllReported) {
  RouteTable table;
  Diagnostics d;
  EXPECT_FALSE(RouteTable::Build(
      {"api/items", "/a/{}", "/a/{id", "/a/x{id}", "/b/{1x}", "/c?x=1", "/ok", "/ok", "/d/{id}"},
      "--metrics-route", &table, d));
  ASSERT_EQ(7u, d.problems().size()) << d.Format();
  EXPECT_NE(std::string::npos, d.problems()[0].what.find("'api/items' must be an absolute path"));
  EXPECT_NE(std::string::npos, d.problems()[1].what.find("bad placeholder '{}'"));
  EXPECT_NE(std::string::npos, d.problems()[2].what.find("bad placeholder '{id'"));
  EXPECT_NE(std::string::npos, d.problems()[3].what.find("bad placeholder 'x{id}'"));
  EXPECT_NE(std::string::npos, d.problems()[4].what.find("bad placeholder '{1x}'"));
  EXPECT_NE(std::string::npos, d.problems()[5].what.find("query"));
  EXPECT_NE(std::string::npos, d.problems()[6].what.find("'/ok' is given twice"));
  EXPECT_EQ("--metrics-route", d.problems()[0].where);
  EXPECT_TRUE(table.empty());  // untouched on failure
}

TEST(RouteTableTest, TheNumberOfTemplatesIsBounded) {
  std::vector<std::string> many;
  for (size_t i = 0; i <= RouteTable::kMaxTemplates; ++i) many.push_back("/r" + std::to_string(i));
  RouteTable table;
  Diagnostics d;
  EXPECT_FALSE(RouteTable::Build(many, "x.toml:3:1", &table, d));
  many.pop_back();
  Diagnostics ok;
  EXPECT_TRUE(RouteTable::Build(many, "x.toml:3:1", &table, ok));
}

}  // namespace
}  // namespace logchain::metrics
