#include "pipeline/engine.h"

#include "output/console_renderer.h"
#include "output/json_renderer.h"
#include "patterns/library.h"
#include "processors/registry.h"
#include "record/fields.h"

namespace logchain {

std::vector<ProcessorConfig> DefaultChainConfig() {
  std::vector<ProcessorConfig> chain;
  for (std::string_view name : DefaultChain()) {
    chain.push_back(ProcessorConfig{std::string(name), "the default chain", {}});
  }
  return chain;
}

std::unique_ptr<Engine> Engine::Create(const PipelineConfig& config, const Clock* clock,
                                       Diagnostics& diagnostics) {
  ProcessorContext context;
  context.clock = clock;
  context.decoder = &config.decoder;
  std::vector<std::shared_ptr<const CompiledFormat>> formats;
  context.access_formats = &formats;
  PatternLibraryHandle patterns(config.shipped_patterns_dir, config.patterns_dirs);
  context.patterns = &patterns;
  std::unique_ptr<Chain> chain = Chain::Build(config.chain, context, diagnostics);
  // The user's pattern files are checked even when no processor uses them.
  const bool patterns_ok = config.patterns_dirs.empty() || patterns.Get(diagnostics) != nullptr;
  if (chain == nullptr || !patterns_ok) return nullptr;
  DecoderOptions decoder = config.decoder;
  decoder.access_formats.insert(decoder.access_formats.end(), formats.begin(), formats.end());
  return std::unique_ptr<Engine>(new Engine(config, std::move(chain), std::move(decoder)));
}

Engine::Engine(const PipelineConfig& config, std::unique_ptr<Chain> chain, DecoderOptions decoder)
    : style_(config.style),
      console_(config.console),
      color_(config.color),
      console_json_(config.console ? 4096 : 16),
      chain_(std::move(chain)), decoder_(std::move(decoder)) {
  if (chain_->fold().has_value()) folder_.emplace(*chain_->fold());
  // The console view reads the seed's names; a schema applies to JSON output.
  if (config.schema != Schema::kSeed && !config.console) {
    schema_renderer_ = std::make_unique<SchemaRenderer>(config.schema);
  }
}

void Engine::PushLine(const Line& line, bool padded, OutBuffer& out) {
  auto emit = [this, &out](const Entry& entry) { ProcessEntry(entry, out); };
  if (line.part == 0) {
    ++stats_.lines;
    if (folder_.has_value()) {
      folder_->Push(line.text, padded, emit);
    } else {
      Entry entry;
      entry.head = line.text;
      entry.head_padded = padded;
      ProcessEntry(entry, out);
    }
    return;
  }
  // A piece of an over-long line: never folded, never parsed.
  if (line.part == 1) {
    ++stats_.lines;
    ++stats_.split_lines;
  } else {
    ++stats_.extra_parts;
  }
  if (folder_.has_value()) folder_->Flush(emit);
  const size_t mark = out.size();
  try {
    decoder_.DecodePart(line.text, line.part, line.last_part, record_);
    Finish(out, mark);
  } catch (...) {
    WriteLastResort(line.text, out, mark);
  }
}

void Engine::AddCounts(const Engine& other) {
  stats_.Add(other.stats_);
  chain_->AddCounts(*other.chain_);
}

void Engine::Flush(OutBuffer& out) {
  if (folder_.has_value()) {
    folder_->Flush([this, &out](const Entry& entry) { ProcessEntry(entry, out); });
  }
}

void Engine::ProcessEntry(const Entry& entry, OutBuffer& out) {
  stats_.folded += entry.lines - 1;
  const size_t mark = out.size();
  try {
    if (entry.standalone_traceback) {
      decoder_.DecodeTraceback(entry.head, entry.continuation, entry.summary, record_);
    } else {
      decoder_.Decode(entry.head, entry.head_padded, record_, entry.access_time);
      decoder_.AttachContinuation(entry.continuation, record_);
    }
    Finish(out, mark);
  } catch (...) {
    WriteLastResort(entry.head, out, mark);
  }
}

void Engine::Finish(OutBuffer& out, size_t mark) {
  if (!record_.raw().empty()) ++stats_.invalid_utf8;
  if (!chain_->Run(record_)) {
    ++stats_.dropped;
    return;
  }
  if (console_) {
    console_json_.Clear();
    RenderJson(record_, JsonStyle::kCompact, console_json_);
    std::string_view json = console_json_.view();
    if (!json.empty() && json.back() == '\n') json.remove_suffix(1);
    RenderConsole(json, color_, out);
  } else if (schema_renderer_ == nullptr) {
    RenderJson(record_, style_, out);
  } else {
    schema_renderer_->Render(record_, style_, out);
  }
  ++stats_.records;
  if (metrics_ != nullptr) metrics_->Observe(record_);
  stats_.bytes_out += out.size() - mark;
}

// Only reached when memory ran out mid-record: the line still goes out,
// with as little work as possible, and the internal error is counted.
void Engine::WriteLastResort(std::string_view text, OutBuffer& out, size_t mark) {
  ++stats_.internal_errors;
  try {
    out.Truncate(mark);
    out.Push('{');
    WriteJsonString(out, fields::kEvent, style_);
    out.Append(KeySeparator(style_));
    WriteJsonString(out, text, style_);
    out.Append(ItemSeparator(style_));
    WriteJsonString(out, fields::kError, style_);
    out.Append(KeySeparator(style_));
    WriteJsonString(out, "internal: the record could not be processed", style_);
    out.Append("}\n");
    ++stats_.records;
  } catch (...) {
    out.Truncate(mark);  // nothing more can be done for this line
  }
}

}  // namespace logchain
