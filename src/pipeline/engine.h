// Engine: a line's whole path in one thread, framed line -> JSON line.
//
//   Line -> [TracebackFolder] -> Entry -> LineDecoder -> Record (reused)
//        -> Chain -> JsonRenderer -> OutBuffer
//
// One Engine per thread; it owns the chain instances, the decoder (and its
// JSON parser) and the reused record, and keeps the counts.
#ifndef LOGCHAIN_PIPELINE_ENGINE_H_
#define LOGCHAIN_PIPELINE_ENGINE_H_

#include <memory>
#include <optional>
#include <vector>

#include "common/diagnostics.h"
#include "input/line_reader.h"
#include "metrics/shard.h"
#include "output/json_writer.h"
#include "output/out_buffer.h"
#include "output/schema_renderer.h"
#include "pipeline/chain.h"
#include "pipeline/stats.h"
#include "processors/fold_traceback.h"
#include "record/line_decoder.h"
#include "record/record.h"

namespace logchain {

class Clock;

/// Everything that shapes the path of a line, as configured.
struct PipelineConfig {
  std::vector<ProcessorConfig> chain;
  DecoderOptions decoder;
  JsonStyle style = JsonStyle::kSeed;
  Schema schema = Schema::kSeed;  // --schema: field names (output/schema_renderer.h)
  bool console = false;  // --format console: the human view (output/console_renderer.h)
  bool color = false;    // ANSI colours in the console view
  size_t max_line_bytes = 16 << 20;
  /// --patterns-dir: directories of the user's *.pattern and *.blocks files.
  std::vector<std::string> patterns_dirs;
  /// Where the shipped patterns are; empty: the default search path
  /// (PatternLibrary::DefaultShippedDirs).
  std::string shipped_patterns_dir;
};

/// The chain logchain runs with no configuration.
std::vector<ProcessorConfig> DefaultChainConfig();

class Engine {
 public:
  /// Builds the chain (every configuration problem reported) or returns null.
  static std::unique_ptr<Engine> Create(const PipelineConfig& config, const Clock* clock,
                                        Diagnostics& diagnostics);

  /// Takes one framed line (padded: from a LineReader); appends every record
  /// that is complete to out.
  void PushLine(const Line& line, bool padded, OutBuffer& out);

  /// Emits a record held for a possible traceback (end of input, idle input).
  void Flush(OutBuffer& out);

  /// True while a record waits for a possible traceback.
  bool holding() const { return folder_.has_value() && folder_->holding(); }
  /// How long a held record may wait on live input.
  int idle_ms() const { return folder_.has_value() ? folder_->settings().idle_ms : 0; }
  /// Whether fold_traceback groups lines (batch mode must cut at safe boundaries).
  bool folds() const { return folder_.has_value(); }

  /// Counts every written record into `shard` (metrics on); the engine owns it.
  void EnableMetrics(std::unique_ptr<metrics::MetricsShard> shard) { metrics_ = std::move(shard); }
  /// Hands the counts so far to the metrics hub (no-op with metrics off).
  /// Called whenever output is handed to the sink, and at the end.
  void PublishMetrics() {
    if (metrics_ != nullptr) metrics_->Publish(stats_, *chain_);
  }

  const Stats& stats() const { return stats_; }
  Stats& stats() { return stats_; }
  const Chain& chain() const { return *chain_; }
  /// Adds another engine's counts (batch mode: a worker's, at the end).
  void AddCounts(const Engine& other);

 private:
  Engine(const PipelineConfig& config, std::unique_ptr<Chain> chain, DecoderOptions decoder);
  void ProcessEntry(const Entry& entry, OutBuffer& out);
  void Finish(OutBuffer& out, size_t mark);
  void WriteLastResort(std::string_view text, OutBuffer& out, size_t mark);

  JsonStyle style_;
  bool console_;
  bool color_;
  OutBuffer console_json_;  // a record's JSON, before the console view of it
  std::unique_ptr<SchemaRenderer> schema_renderer_;  // null: the seed's names
  std::unique_ptr<Chain> chain_;
  std::optional<TracebackFolder> folder_;
  LineDecoder decoder_;
  Record record_;
  Stats stats_;
  std::unique_ptr<metrics::MetricsShard> metrics_;  // null: metrics off
};

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_ENGINE_H_
