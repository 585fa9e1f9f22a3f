#include "metrics/hub.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "metrics/metrics_test_util.h"
#include "test_util.h"

namespace logchain::metrics {
namespace {

using logchain::testing::RunText;
using testing::CounterOf;

PipelineConfig Default() {
  PipelineConfig c;
  c.chain = DefaultChainConfig();
  return c;
}

constexpr char kAccess[] =
    "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 1000 \"-\" \"curl\"\n";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "logchain-hub-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(HubTest, ShardsOfSeveralThreadsAddUp) {
  MetricsHub hub(RouteTable(), 64, &logchain::testing::TestClock());
  ASSERT_TRUE(RunText(Default(), std::string(kAccess) + kAccess, &hub).ok);
  ASSERT_TRUE(RunText(Default(), kAccess, &hub).ok);
  const auto families = hub.Collect();
  EXPECT_EQ(3, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "200"}}));
  EXPECT_EQ(3, CounterOf(families, "logchain_lines_read_total"));
  EXPECT_EQ(3, CounterOf(families, "log_records_total",
                         {{"logger", "gunicorn.access"}, {"level", "info"}}));
}

TEST(HubTest, LastRecordTimeComesFromTheClock) {
  MetricsHub hub(RouteTable(), 64, &logchain::testing::TestClock());
  EXPECT_EQ(nullptr, testing::FindFamily(hub.Collect(), "logchain_last_record_timestamp_seconds"));
  ASSERT_TRUE(RunText(Default(), kAccess, &hub).ok);
  const auto families = hub.Collect();
  const auto* m = testing::FindSeries(families, "logchain_last_record_timestamp_seconds", {});
  ASSERT_NE(nullptr, m);
  EXPECT_EQ(static_cast<double>(logchain::testing::kFixedNow), m->gauge.value);
}

TEST(HubTest, TextIsThePrometheusExpositionFormat) {
  MetricsHub hub(RouteTable(), 64, &logchain::testing::TestClock());
  ASSERT_TRUE(RunText(Default(), kAccess, &hub).ok);
  const std::string text = hub.Text();
  EXPECT_NE(std::string::npos, text.find("# TYPE http_requests_total counter\n"));
  EXPECT_NE(std::string::npos, text.find("http_requests_total{method=\"GET\",status=\"200\"} 1\n"));
  EXPECT_NE(std::string::npos, text.find("# TYPE http_response_size_bytes histogram\n"));
  EXPECT_NE(std::string::npos, text.find("http_response_size_bytes_bucket{le=\"512\"} 0\n"));
  EXPECT_NE(std::string::npos, text.find("http_response_size_bytes_bucket{le=\"2048\"} 1\n"));
  EXPECT_NE(std::string::npos, text.find("http_response_size_bytes_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_NE(std::string::npos, text.find("http_response_size_bytes_sum 1000\n"));
  EXPECT_NE(std::string::npos, text.find("http_response_size_bytes_count 1\n"));
}

TEST(HubTest, TextfileIsReplacedWholeWithNoTemporaryLeft) {
  TempDir dir;
  const std::string path = dir.path() + "/logchain.prom";
  { std::ofstream(path) << "old content\n"; }
  MetricsHub hub(RouteTable(), 64, &logchain::testing::TestClock());
  ASSERT_TRUE(RunText(Default(), kAccess, &hub).ok);
  std::string error;
  ASSERT_TRUE(hub.WriteTextfile(path, &error)) << error;
  EXPECT_EQ(hub.Text(), ReadFile(path));
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
    EXPECT_EQ("logchain.prom", entry.path().filename().string());
  }
  EXPECT_EQ(1u, files);
}

TEST(HubTest, TextfileFailureIsReported) {
  TempDir dir;
  MetricsHub hub(RouteTable(), 64, &logchain::testing::TestClock());
  std::string error;
  EXPECT_FALSE(hub.WriteTextfile(dir.path() + "/missing/logchain.prom", &error));
  EXPECT_NE(std::string::npos, error.find("No such file or directory")) << error;
}

TEST(HubTest, TextfilePathIsCheckedBeforeInputIsRead) {
  TempDir dir;
  std::string problem;
  EXPECT_TRUE(CheckTextfilePath(dir.path() + "/x.prom", &problem)) << problem;
  EXPECT_FALSE(CheckTextfilePath(dir.path() + "/missing/x.prom", &problem));
  EXPECT_NE(std::string::npos, problem.find("does not exist")) << problem;
  EXPECT_FALSE(CheckTextfilePath(dir.path(), &problem));
  EXPECT_NE(std::string::npos, problem.find("is a directory")) << problem;
  EXPECT_FALSE(CheckTextfilePath(dir.path() + "/", &problem));
  if (::geteuid() != 0) {  // root may write anywhere
    ::chmod(dir.path().c_str(), 0500);
    EXPECT_FALSE(CheckTextfilePath(dir.path() + "/x.prom", &problem));
    ::chmod(dir.path().c_str(), 0700);
  }
}

}  // namespace
}  // namespace logchain::metrics
