#include "cli/config_file.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

TEST(ConfigFileTest, ReadsEverySetting) {
  FileSettings s;
  Diagnostics d;
  ASSERT_TRUE(ParseConfigText(R"(
chain = ["add_log_level", { name = "add_timestamp", fmt = "iso", utc = false }]
json = "compact"
default_level = "warning"
default_logger = "stdout"
max_line_bytes = "1MiB"
jobs = 2

[processors.add_log_level]
[processors.add_timestamp]
key = "ts"
)", "logchain.toml", &s, d)) << d.Format();
  ASSERT_TRUE(s.chain.has_value());
  ASSERT_EQ(2u, s.chain->size());
  EXPECT_EQ("add_timestamp", (*s.chain)[1].name);
  ASSERT_EQ(2u, (*s.chain)[1].options.size());
  EXPECT_EQ("utc", (*s.chain)[1].options[1].name);
  EXPECT_EQ("false", (*s.chain)[1].options[1].value);
  EXPECT_EQ("logchain.toml:2:53", (*s.chain)[1].options[0].where);
  EXPECT_EQ("compact", s.json->first);
  EXPECT_EQ("2", s.jobs->first);
  ASSERT_EQ(2u, s.processor_options.size());
  EXPECT_EQ("ts", s.processor_options[1].second[0].value);
}

TEST(ConfigFileTest, ReportsEveryProblemWithItsPosition) {
  FileSettings s;
  Diagnostics d;
  EXPECT_FALSE(ParseConfigText(R"(
chian = ["add_log_level"]
json = ["seed"]
chain = [42, { fmt = "iso" }]
[processors.add_timestamp]
fmt = ["a"]
)", "bad.toml", &s, d));
  const std::string text = d.Format();
  EXPECT_NE(std::string::npos, text.find("bad.toml:2:1: unknown setting 'chian' (did you mean 'chain'?)")) << text;
  EXPECT_NE(std::string::npos, text.find("bad.toml:3:")) << text;
  EXPECT_NE(std::string::npos, text.find("a chain entry must be a processor name")) << text;
  EXPECT_NE(std::string::npos, text.find("needs a name")) << text;
  EXPECT_NE(std::string::npos, text.find("option 'fmt' must be")) << text;
  EXPECT_EQ(5u, d.problems().size()) << text;
}

TEST(ConfigFileTest, SyntaxErrorsNameTheLine) {
  FileSettings s;
  Diagnostics d;
  EXPECT_FALSE(ParseConfigText("chain = [\n", "broken.toml", &s, d));
  EXPECT_EQ(0u, d.Format().find("logchain: error: broken.toml:")) << d.Format();
}

TEST(ConfigFileTest, MetricsSettings) {
  FileSettings s;
  Diagnostics d;
  ASSERT_TRUE(ParseConfigText(R"(
metrics_listen = "127.0.0.1:9100"
metrics_textfile = "/tmp/logchain.prom"
metrics_routes = ["/api/items/{id}", "/health"]
)", "m.toml", &s, d)) << d.Format();
  EXPECT_EQ("127.0.0.1:9100", s.metrics_listen->first);
  EXPECT_EQ("m.toml:2:18", s.metrics_listen->second);
  EXPECT_EQ("/tmp/logchain.prom", s.metrics_textfile->first);
  ASSERT_TRUE(s.metrics_routes.has_value());
  EXPECT_EQ((std::vector<std::string>{"/api/items/{id}", "/health"}), s.metrics_routes->first);
}

TEST(ConfigFileTest, MetricsRoutesMustBeAListOfStrings) {
  for (const char* text : {"metrics_routes = \"/health\"\n", "metrics_routes = [1]\n",
                           "metrics_routes = [\"/a\", [\"/b\"]]\n"}) {
    FileSettings s;
    Diagnostics d;
    EXPECT_FALSE(ParseConfigText(text, "b.toml", &s, d)) << text;
    EXPECT_NE(std::string::npos, d.Format().find("metrics_routes must be a list")) << d.Format();
  }
}

TEST(ConfigFileTest, PatternsDirsAreRelativeToTheFile) {
  FileSettings s;
  Diagnostics d;
  ASSERT_TRUE(ParseConfigText("patterns_dirs = [\"patterns\", \"/etc/logchain/patterns\"]\n",
                              "/srv/app/logchain.toml", &s, d))
      << d.Format();
  ASSERT_TRUE(s.patterns_dirs.has_value());
  EXPECT_EQ((std::vector<std::string>{"/srv/app/patterns", "/etc/logchain/patterns"}),
            s.patterns_dirs->first);

  FileSettings bad;
  EXPECT_FALSE(ParseConfigText("patterns_dirs = \"patterns\"\n", "b.toml", &bad, d));
  EXPECT_NE(std::string::npos, d.Format().find("b.toml:1:17: patterns_dirs must be a list"))
      << d.Format();
}

}  // namespace
}  // namespace logchain
