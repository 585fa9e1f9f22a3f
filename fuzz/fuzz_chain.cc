// The whole chain, as logchain runs it on a file: framing, folding,
// decoding, every processor of the default chain, rendering. Guarantee 1:
// every output line is one JSON object in valid UTF-8, and records +
// dropped = lines - folded + extra pieces of over-long lines, with no
// internal error. Guarantee 2, where each line makes one record (no folding,
// no over-long lines): the line is recoverable from its record, from
// logchain_raw_base64 when it was not UTF-8, else from its event or, for a
// JSON line, the object text the output starts with. With metrics on, every
// written record is counted once in log_records_total, and no more requests
// than records.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "fuzz_util.h"
#include "input/line_reader.h"
#include "metrics/hub.h"
#include "metrics/metrics_test_util.h"
#include "output/sink.h"
#include "pipeline/engine.h"
#include "pipeline/stream.h"
#include "record/clock.h"
#include "record/utf8.h"

using logchain::Engine;
using logchain::PipelineConfig;

namespace {

int MemFile(std::string_view content) {
  const int fd = memfd_create("fuzz", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  lseek(fd, 0, SEEK_SET);
  return fd;
}

std::string ReadAll(int fd) {
  lseek(fd, 0, SEEK_SET);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

// The input's lines as logchain frames them: "\n" ends a line, a "\r" right
// before it is part of the terminator, and an unterminated tail is a line.
std::vector<std::string_view> Frame(std::string_view input) {
  std::vector<std::string_view> lines = logchain::fuzz::SplitLines(input);
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool terminated = lines[i].data() + lines[i].size() < input.data() + input.size();
    if (terminated && lines[i].ends_with('\r')) lines[i].remove_suffix(1);
  }
  return lines;
}

// The sum of every series of a counter family, or of a histogram family's
// sample counts; 0 when the family is absent.
double Total(const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  const prometheus::MetricFamily* f = logchain::metrics::testing::FindFamily(families, name);
  double total = 0;
  if (f == nullptr) return total;
  for (const auto& m : f->metric) {
    total += f->type == prometheus::MetricType::Histogram
                 ? static_cast<double>(m.histogram.sample_count)
                 : m.counter.value;
  }
  return total;
}

std::string_view Member(const rapidjson::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

void CheckRecoverable(std::string_view line, std::string_view json, const rapidjson::Document& doc,
                      bool keep_prefix) {
  std::string original;
  if (doc.HasMember("logchain_raw_base64")) {
    FUZZ_CHECK(logchain::fuzz::DecodeBase64(Member(doc, "logchain_raw_base64"), &original));
    FUZZ_CHECK(original == line);
    FUZZ_CHECK(!logchain::IsValidUtf8(line));
    return;
  }
  FUZZ_CHECK(logchain::IsValidUtf8(line));
  if (json == line) return;  // a JSON line the chain had nothing to add to
  const std::string_view event = Member(doc, "event");
  if (event == line) return;
  // A JSON object line: the output starts with it, up to its closing brace.
  const size_t close = line.rfind('}');
  if (close != std::string_view::npos && line.find_first_not_of(" \t") == line.find('{')) {
    std::string_view object = line.substr(0, close);
    while (!object.empty() && (object.back() == ' ' || object.back() == '\t' ||
                               object.back() == '\n' || object.back() == '\r')) {
      object.remove_suffix(1);
    }
    const size_t open = object.find('{');
    if (json.starts_with(object.substr(open))) return;
  }
  // A gunicorn error line: the event is its message, after the prefix,
  // which keep_prefix keeps.
  FUZZ_CHECK(line.starts_with('['));
  FUZZ_CHECK(line.ends_with(event));
  if (keep_prefix) {
    FUZZ_CHECK(std::string(Member(doc, "logchain_prefix")) + std::string(event) +
                   std::string(Member(doc, "logchain_suffix")) ==
               line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  logchain::fuzz::Steer steer(data, size);
  const uint8_t options = steer.Byte();
  const uint8_t max_line = steer.Byte();
  PipelineConfig config;
  config.chain = logchain::DefaultChainConfig();
  const bool fold = (options & 1) == 0;
  if (!fold) config.chain.erase(config.chain.begin());  // fold_traceback comes first
  if (options & 2) config.style = logchain::JsonStyle::kCompact;
  const bool small_lines = (options & 4) != 0;
  if (small_lines) config.max_line_bytes = 64 + max_line;
  for (auto& p : config.chain) {
    if (p.name == "parse_combined" && (options & 8)) p.options.push_back({"lenient", "false", "fuzz"});
    if (p.name == "add_timestamp" && (options & 16)) p.options.push_back({"fmt", "iso", "fuzz"});
    if (p.name == "fold_traceback") p.options.push_back({"max_bytes", "1024", "fuzz"});
  }
  const bool keep_prefix = (options & 32) != 0;
  if (keep_prefix) config.chain.push_back({"keep_prefix", "fuzz", {}});
  static const logchain::FixedClock clock(logchain::EventTime{1565878770, 0, true});
  logchain::Diagnostics diagnostics;
  std::unique_ptr<Engine> engine = Engine::Create(config, &clock, diagnostics);
  FUZZ_CHECK(engine != nullptr);
  std::unique_ptr<logchain::metrics::MetricsHub> hub;
  if (options & 64) {
    logchain::metrics::RouteTable routes;
    FUZZ_CHECK(logchain::metrics::RouteTable::Build({"/api/items/{id}", "/"}, "fuzz", &routes,
                                                    diagnostics));
    hub = std::make_unique<logchain::metrics::MetricsHub>(std::move(routes), 4, &clock);
    engine->EnableMetrics(hub->NewShard());
  }

  const std::string_view input = steer.Rest();
  const int in = MemFile(input);
  const int out_fd = MemFile("");
  {
    logchain::Sink sink(out_fd);
    logchain::OutBuffer out(256);
    sink.AttachSpill(out, 1024);
    logchain::LineReader reader(config.max_line_bytes, 64 + (options >> 5) * 64);
    int error = 0;
    const auto end = logchain::StreamInput(in, /*regular_file=*/true, reader, *engine, out, sink,
                                           &error);
    FUZZ_CHECK(end == logchain::StreamEnd::kEndOfInput);
    FUZZ_CHECK(sink.Flush(out));
  }
  const std::string output = ReadAll(out_fd);
  close(in);
  close(out_fd);

  const logchain::Stats& s = engine->stats();
  const std::vector<std::string_view> lines = Frame(input);
  FUZZ_CHECK(s.lines == lines.size());
  FUZZ_CHECK(s.internal_errors == 0);
  FUZZ_CHECK(s.records + s.dropped == s.lines - s.folded + s.extra_parts);
  FUZZ_CHECK(output.empty() || output.back() == '\n');
  const std::vector<std::string_view> records = logchain::fuzz::SplitLines(output);
  FUZZ_CHECK(records.size() == s.records);
  if (hub != nullptr) {
    const std::vector<prometheus::MetricFamily> families = hub->Collect();
    const auto written = static_cast<double>(s.records);
    FUZZ_CHECK(Total(families, "log_records_total") == written);
    FUZZ_CHECK(Total(families, "logchain_records_written_total") == written);
    const double requests = Total(families, "http_requests_total");
    FUZZ_CHECK(requests <= written);
    FUZZ_CHECK(Total(families, "http_response_size_bytes") <= requests);
    FUZZ_CHECK(Total(families, "http_request_duration_seconds") <= requests);
  }
  const bool one_to_one = !fold && s.split_lines == 0 && s.dropped == 0;
  for (size_t i = 0; i < records.size(); ++i) {
    rapidjson::Document doc;
    FUZZ_CHECK(logchain::fuzz::ParseRfcJson(records[i], &doc));
    FUZZ_CHECK(doc.IsObject());
    if (one_to_one) CheckRecoverable(lines[i], records[i], doc, keep_prefix);
  }
  return 0;
}
