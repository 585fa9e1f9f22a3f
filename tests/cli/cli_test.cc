#include "cli/cli.h"
#include "pipeline/run.h"
#include "processors/registry.h"
#include "record/clock.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace logchain {
namespace {

CommandLine Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "logchain");
  return ParseCommandLine(static_cast<int>(args.size()), args.data());
}

std::vector<std::string> ChainOf(const CommandLine& c) {
  std::vector<std::string> names;
  for (const ProcessorConfig& p : c.pipeline.chain) names.push_back(p.name);
  return names;
}

TEST(CliTest, DefaultsRunTheSeedChainOnStandardInput) {
  const CommandLine c = Parse({});
  EXPECT_EQ(CommandLine::Action::kRun, c.action);
  EXPECT_EQ((std::vector<std::string>{"fold_traceback", "add_log_level", "add_logger_name",
                                      "add_timestamp", "parse_combined"}),
            ChainOf(c));
  EXPECT_TRUE(c.run.inputs.empty());
  EXPECT_EQ(JsonStyle::kSeed, c.pipeline.style);
  EXPECT_GE(c.run.jobs, 1);
}

TEST(CliTest, FlagsReachThePipeline) {
  const CommandLine c =
      Parse({"--chain", "add_log_level, add_timestamp", "--set", "add_timestamp.fmt=iso",
             "--json", "compact", "--default-level", "warning", "--default-logger", "stdout",
             "--max-line-bytes", "1MiB", "-j", "3", "-o", "out.jsonl", "a.log", "-", "--stats"});
  ASSERT_EQ(CommandLine::Action::kRun, c.action);
  EXPECT_EQ((std::vector<std::string>{"add_log_level", "add_timestamp"}), ChainOf(c));
  ASSERT_EQ(1u, c.pipeline.chain[1].options.size());
  EXPECT_EQ("fmt", c.pipeline.chain[1].options[0].name);
  EXPECT_EQ("iso", c.pipeline.chain[1].options[0].value);
  EXPECT_EQ(JsonStyle::kCompact, c.pipeline.style);
  EXPECT_EQ("warning", c.pipeline.decoder.default_level);
  EXPECT_EQ("stdout", c.pipeline.decoder.default_logger);
  EXPECT_EQ(1u << 20, c.pipeline.max_line_bytes);
  EXPECT_EQ(3, c.run.jobs);
  EXPECT_EQ("out.jsonl", c.run.output);
  EXPECT_EQ((std::vector<std::string>{"a.log", "-"}), c.run.inputs);
  EXPECT_TRUE(c.run.stats);
}

// Regression: --set took every following argument as another setting, so
// `logchain --set add_timestamp.fmt=iso access.log` was refused.
TEST(CliTest, FilesMayFollowASetting) {
  const CommandLine c = Parse({"--set", "add_timestamp.fmt=iso", "a.log", "--set",
                               "add_timestamp.utc=false", "b.log"});
  ASSERT_EQ(CommandLine::Action::kRun, c.action);
  EXPECT_EQ((std::vector<std::string>{"a.log", "b.log"}), c.run.inputs);
  EXPECT_EQ(2u, c.pipeline.chain[3].options.size());
}

TEST(CliTest, CheckIsAnAction) { EXPECT_EQ(CommandLine::Action::kCheck, Parse({"--check"}).action); }

TEST(CliTest, BadConfigurationExitsWithTwo) {
  for (const std::vector<const char*>& args : std::vector<std::vector<const char*>>{
           {"--jsn", "seed"},
           {"--json", "pretty"},
           {"--set", "add_timestamp"},
           {"--set", "parse_json.x=1"},
           {"--chain", "add_log_level", "--set", "add_timestamp.fmt=iso"},
           {"--max-line-bytes", "12 furlongs"},
           {"--max-line-bytes", "10"},
           {"--chain", ","},
           {"-j", "-1"},
           {"--describe", "add_timestmp"},
           {"-c", "/nonexistent/logchain.toml"},
       }) {
    const CommandLine c = Parse(args);
    EXPECT_EQ(CommandLine::Action::kExit, c.action) << args[0];
    EXPECT_EQ(kExitConfigError, c.exit_code) << args[0];
  }
}

// Regression: a bad setting in the configuration file hid the unknown
// processor in its chain until the setting was fixed.
TEST(CliTest, EveryProblemIsReportedInOneRun) {
  const std::string path = ::testing::TempDir() + "cli_test_every_problem.toml";
  {
    std::ofstream out(path);
    out << "chain = [\"add_log_levl\", \"add_timestamp\"]\njsn = \"seed\"\n"
           "[processors.add_timestamp]\nfmtt = \"iso\"\n";
  }
  ::testing::internal::CaptureStderr();
  const CommandLine c = Parse({"-c", path.c_str(), "--check"});
  const std::string err = ::testing::internal::GetCapturedStderr();
  std::remove(path.c_str());
  EXPECT_EQ(kExitConfigError, c.exit_code);
  EXPECT_NE(std::string::npos, err.find("unknown setting 'jsn' (did you mean 'json'?)")) << err;
  EXPECT_NE(std::string::npos, err.find("unknown processor 'add_log_levl' (did you mean "
                                        "'add_log_level'?)"))
      << err;
  EXPECT_NE(std::string::npos, err.find("fmtt")) << err;
}

TEST(CliTest, PatternsDirsFromTheFileAreFoundBesideIt) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "cli_test_patterns_dirs";
  std::filesystem::create_directories(dir / "mine");
  std::ofstream(dir / "mine" / "app.pattern") << "@format app\n@sample x\n(?P<event>x)  # x\n";
  std::ofstream(dir / "with.toml") << "patterns_dirs = [\"mine\"]\n"
                                      "chain = [{ name = \"parse_pattern\", pattern = \"app\" }]\n";
  std::ofstream(dir / "without.toml")
      << "chain = [{ name = \"parse_pattern\", pattern = \"app\" }]\n";
  const std::string with = (dir / "with.toml").string();
  const std::string without = (dir / "without.toml").string();

  const CommandLine c = Parse({"-c", with.c_str(), "--check"});
  ASSERT_EQ(kExitOk, c.exit_code);
  EXPECT_EQ((std::vector<std::string>{(dir / "mine").string()}), c.pipeline.patterns_dirs);
  const SystemClock clock;
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(kExitOk, Check(c.pipeline, &clock)) << "the pattern is found beside the file";
  ::testing::internal::GetCapturedStdout();

  const CommandLine d = Parse({"-c", without.c_str(), "--check"});
  ASSERT_EQ(kExitOk, d.exit_code);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(kExitConfigError, Check(d.pipeline, &clock));
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(std::string::npos, err.find("'app'")) << err;
  std::filesystem::remove_all(dir);
}

TEST(CliTest, ListingsExitWithZero) {
  for (const char* flag : {"--help", "--version", "--list-processors"}) {
    const CommandLine c = Parse({flag});
    EXPECT_EQ(CommandLine::Action::kExit, c.action);
    EXPECT_EQ(kExitOk, c.exit_code);
  }
  const CommandLine d = Parse({"--describe", "add_timestamp"});
  EXPECT_EQ(kExitOk, d.exit_code);
}

TEST(CliTest, ByteSizes) {
  size_t n = 0;
  ASSERT_TRUE(ParseByteSize("16MiB", &n));
  EXPECT_EQ(16u << 20, n);
  ASSERT_TRUE(ParseByteSize("512K", &n));
  EXPECT_EQ(512u << 10, n);
  ASSERT_TRUE(ParseByteSize("1048576", &n));
  EXPECT_EQ(1048576u, n);
  EXPECT_FALSE(ParseByteSize("MiB", &n));
  EXPECT_FALSE(ParseByteSize("1TB", &n));
  EXPECT_FALSE(ParseByteSize("-1", &n));
}

TEST(CliTest, DescribeShowsOptionsAndExamples) {
  const std::string text = DescribeProcessor(*FindProcessor("add_timestamp"));
  EXPECT_NE(std::string::npos, text.find("fmt (default: %Y-%m-%d %H:%M:%S)"));
  EXPECT_NE(std::string::npos, text.find("Example:"));
  EXPECT_NE(std::string::npos, ListProcessors().find("parse_combined"));
}

TEST(CliTest, MetricsAreOffUnlessAsked) {
  const CommandLine c = Parse({});
  EXPECT_FALSE(c.run.metrics.enabled());
  EXPECT_TRUE(c.run.metrics.listen.empty());
}

TEST(CliTest, MetricsFlagsReachTheRun) {
  const CommandLine c =
      Parse({"--metrics-listen", "127.0.0.1:9100", "--metrics-textfile", "/tmp/logchain.prom",
             "--metrics-route", "/api/items/{id}", "--metrics-route", "/health"});
  ASSERT_EQ(CommandLine::Action::kRun, c.action);
  EXPECT_EQ("127.0.0.1:9100", c.run.metrics.listen);
  EXPECT_EQ("/tmp/logchain.prom", c.run.metrics.textfile);
  EXPECT_EQ((std::vector<std::string>{"/api/items/{id}", "/health"}), c.run.metrics.routes);
  EXPECT_TRUE(c.run.metrics.enabled());
}

TEST(CliTest, BadMetricsSettingsExitWithTwo) {
  for (std::vector<const char*> args : std::vector<std::vector<const char*>>{
           {"--metrics-listen", "localhost:9100"},
           {"--metrics-listen", "127.0.0.1"},
           {"--metrics-listen", "127.0.0.1:99999"},
           {"--metrics-textfile", "/nonexistent-dir/x.prom"},
           {"--metrics-listen", "127.0.0.1:0", "--metrics-route", "api/{id}"},
           {"--metrics-route", "/api/{id}"},  // routes without metrics on
       }) {
    const CommandLine c = Parse(args);
    EXPECT_EQ(CommandLine::Action::kExit, c.action) << args[0] << " " << args[1];
    EXPECT_EQ(kExitConfigError, c.exit_code) << args[0] << " " << args[1];
  }
}

}  // namespace
}  // namespace logchain
