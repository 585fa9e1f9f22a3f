// Helpers shared by the tests: run text through the real pipeline, in
// process, with a fixed clock.
#ifndef LOGCHAIN_TESTS_TEST_UTIL_H_
#define LOGCHAIN_TESTS_TEST_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/engine.h"
#include "pipeline/stats.h"
#include "record/clock.h"

namespace logchain::testing {

/// 2019-08-15 14:19:30 UTC, the clock of every example and golden file.
inline constexpr int64_t kFixedNow = 1565878770;
const Clock& TestClock();

struct RunResult {
  std::string output;
  Stats stats;
  std::string problems;  // configuration problems, when the chain could not be built
  bool ok = false;
};

/// Runs `input` through the pipeline built from config, as logchain does
/// for one regular-file input (LineReader, Engine, stream loop, Sink).
RunResult RunText(const PipelineConfig& config, std::string_view input);
/// The same, counting metrics into hub (as --metrics-listen does).
RunResult RunText(const PipelineConfig& config, std::string_view input,
                  metrics::MetricsHub* hub);

/// A pipeline config for a comma-separated chain and space-separated
/// name.option=value settings, as the examples write them.
PipelineConfig ConfigFor(std::string_view chain, std::string_view settings = {});

/// Splits output into lines (without "\n").
std::vector<std::string> Lines(std::string_view output);

/// A page of writable memory followed by one that cannot be read, for
/// checking that code which reads whole blocks past a string's end never
/// touches memory it may not: a string placed at Last(n) ends where
/// readable memory ends. Throws when the pages cannot be mapped.
class ReadableEdge {
 public:
  ReadableEdge();
  ~ReadableEdge();
  ReadableEdge(const ReadableEdge&) = delete;
  ReadableEdge& operator=(const ReadableEdge&) = delete;

  /// The last n bytes (at most a page) before the unreadable page.
  char* Last(size_t n) const { return edge_ - n; }

 private:
  void* map_ = nullptr;
  size_t page_ = 0;
  char* edge_ = nullptr;
};

}  // namespace logchain::testing

#endif  // LOGCHAIN_TESTS_TEST_UTIL_H_
