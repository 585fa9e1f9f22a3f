// Pattern parsing: parse_pattern with the right pattern for each line, and
// parse_auto (RE2::Set prefilter, then the winner's split) over the same
// lines, homogeneous and mixed; and, for contrast, trying each pattern of
// the list in turn. The lines are the golden inputs of every shipped
// pattern (tests/golden/pattern_*/input.log), the ones their pattern
// parses, repeated to about 1 MiB. "Mixed / right parser" is the ratio
// docs/patterns.md promises stays small.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "patterns/library.h"
#include "processors/registry.h"

namespace logchain::bench {
namespace {

struct Corpus {
  std::shared_ptr<const PatternLibrary> library;
  std::vector<std::string> lines;
  std::vector<const NamedPattern*> right;  // the pattern each line is written in
  size_t bytes = 0;
};

// Lines of one pattern's golden input that the pattern parses.
std::vector<std::string> GoldenLines(const NamedPattern& p) {
  std::vector<std::string> lines;
  std::ifstream in(std::string(LOGCHAIN_SOURCE_DIR) + "/tests/golden/pattern_" + p.name +
                   "/input.log");
  std::string line;
  Arena arena;
  std::vector<MatchedField> out;
  while (std::getline(in, line)) {
    if (p.Parse(line, arena, false, &out)) lines.push_back(line);
  }
  return lines;
}

const Corpus& Mixed() {
  static const Corpus corpus = [] {
    Corpus c;
    Diagnostics diagnostics;
    c.library = PatternLibrary::Load(std::string(LOGCHAIN_SOURCE_DIR) + "/patterns", {},
                                     diagnostics);
    if (c.library == nullptr) return c;
    std::vector<std::pair<const NamedPattern*, std::vector<std::string>>> per;
    for (std::string_view name : c.library->Names()) {
      const NamedPattern* p = c.library->Find(name);
      per.emplace_back(p, GoldenLines(*p));
    }
    // Round-robin over the formats, line by line, to about 1 MiB.
    for (size_t i = 0; c.bytes < (1 << 20); ++i) {
      for (const auto& [p, lines] : per) {
        if (lines.empty()) continue;
        c.lines.push_back(lines[i % lines.size()]);
        c.right.push_back(p);
        c.bytes += c.lines.back().size() + 1;
      }
    }
    return c;
  }();
  return corpus;
}

// The same library and lines, restricted to one pattern's.
Corpus Only(std::string_view name) {
  const Corpus& all = Mixed();
  Corpus c;
  c.library = all.library;
  for (size_t i = 0; i < all.lines.size(); ++i) {
    if (all.right[i]->name != name) continue;
    c.lines.push_back(all.lines[i]);
    c.right.push_back(all.right[i]);
    c.bytes += all.lines[i].size() + 1;
  }
  return c;
}

std::unique_ptr<Processor> Make(std::string_view name, std::vector<RawOption> raw,
                                PatternLibraryHandle& handle) {
  const ProcessorDescriptor* d = FindProcessor(name);
  Diagnostics diagnostics;
  OptionValues values;
  if (d == nullptr || !ValidateOptions(*d, raw, &values, diagnostics)) return nullptr;
  ProcessorContext context;
  context.patterns = &handle;
  return d->create(*d, values, context, "bench", diagnostics);
}

void Finish(benchmark::State& state, const Corpus& c, size_t applied) {
  if (applied != state.iterations() * c.lines.size()) state.SkipWithError("a line did not parse");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.lines.size()));
}

size_t Run(Processor& p, std::string_view line, Record& record) {
  record.Reset();
  record.SetLine(line, line);
  return p.Process(record) == Outcome::kApplied ? 1 : 0;
}

std::string ShippedDir() { return std::string(LOGCHAIN_SOURCE_DIR) + "/patterns"; }

// Each line through parse_pattern with the pattern it is written in: the
// cost of knowing the format.
void RightParser(benchmark::State& state, const Corpus& c) {
  PatternLibraryHandle handle(ShippedDir(), {});
  std::map<const NamedPattern*, std::unique_ptr<Processor>> parsers;
  for (const NamedPattern* p : c.right) {
    if (!parsers.contains(p)) parsers[p] = Make("parse_pattern", {{"pattern", p->name, ""}}, handle);
  }
  std::vector<Processor*> per_line;
  for (const NamedPattern* p : c.right) per_line.push_back(parsers[p].get());
  Record record;
  size_t applied = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < c.lines.size(); ++i) applied += Run(*per_line[i], c.lines[i], record);
  }
  Finish(state, c, applied);
}

void Auto(benchmark::State& state, const Corpus& c) {
  PatternLibraryHandle handle(ShippedDir(), {});
  std::unique_ptr<Processor> p = Make("parse_auto", {}, handle);
  Record record;
  size_t applied = 0;
  for (auto _ : state) {
    for (const std::string& line : c.lines) applied += Run(*p, line, record);
  }
  Finish(state, c, applied);
}

// Without a prefilter: each pattern of parse_auto's default order in turn
// until one parses the line.
void EachInTurn(benchmark::State& state, const Corpus& c) {
  static constexpr std::string_view kOrder[] = {
      "gunicorn_error", "nginx_combined", "apache_combined", "nginx_common",
      "apache_common",  "nginx_error",    "apache_error",    "syslog_rfc5424",
      "syslog_rfc3164", "klog",           "python_logging",  "logfmt"};
  std::vector<const NamedPattern*> order;
  for (std::string_view name : kOrder) order.push_back(c.library->Find(name));
  Arena arena;
  std::vector<MatchedField> out;
  size_t applied = 0;
  for (auto _ : state) {
    for (const std::string& line : c.lines) {
      arena.Reset();
      for (const NamedPattern* p : order) {
        if (p->Parse(line, arena, false, &out)) {
          ++applied;
          break;
        }
      }
    }
  }
  Finish(state, c, applied);
}

void BM_Mixed_RightParser(benchmark::State& state) { RightParser(state, Mixed()); }
void BM_Mixed_ParseAuto(benchmark::State& state) { Auto(state, Mixed()); }
void BM_Mixed_EachInTurn(benchmark::State& state) { EachInTurn(state, Mixed()); }
void BM_Nginx_RightParser(benchmark::State& state) {
  static const Corpus c = Only("nginx_combined");
  RightParser(state, c);
}
void BM_Nginx_ParseAuto(benchmark::State& state) {
  static const Corpus c = Only("nginx_combined");
  Auto(state, c);
}
void BM_Klog_RightParser(benchmark::State& state) {
  static const Corpus c = Only("klog");
  RightParser(state, c);
}
void BM_Klog_ParseAuto(benchmark::State& state) {
  static const Corpus c = Only("klog");
  Auto(state, c);
}
BENCHMARK(BM_Mixed_RightParser)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Mixed_ParseAuto)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Mixed_EachInTurn)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Nginx_RightParser)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Nginx_ParseAuto)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Klog_RightParser)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Klog_ParseAuto)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace logchain::bench
