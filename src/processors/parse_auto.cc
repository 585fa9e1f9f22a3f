// parse_auto: parse a stream that mixes formats, trying a list of patterns
// in order with one RE2::Set pass as a prefilter, so a line costs about one
// DFA scan plus the one pattern that fits.
#include <re2/set.h>

#include <algorithm>

#include "patterns/library.h"
#include "processors/option_lists.h"
#include "processors/pattern_fields.h"
#include "processors/processor.h"

namespace logchain {
namespace {

constexpr std::string_view kName = "parse_auto";
constexpr std::string_view kNoMatch = "no pattern of parse_auto.patterns matches";

class ParseAuto final : public Processor {
 public:
  ParseAuto(std::shared_ptr<const PatternLibrary> library, std::vector<const NamedPattern*> patterns,
            std::unique_ptr<re2::RE2::Set> set, std::string field, bool decode)
      : library_(std::move(library)),
        patterns_(std::move(patterns)),
        set_(std::move(set)),
        field_(std::move(field)),
        decode_(decode) {}

  Outcome Process(Record& record) noexcept override {
    std::string_view text;
    if (!PatternInput(record, field_, &text)) return Outcome::kNotApplicable;
    hits_.clear();
    re2::RE2::Set::ErrorInfo info{};
    const re2::StringPiece piece(text.data(), text.size());
    const bool any = set_ != nullptr && set_->Match(piece, &hits_, &info);
    if (set_ != nullptr && !any && info.kind == re2::RE2::Set::kNoError) return Fail(record);
    if (any) {
      // The first pattern of the list among those that match.
      std::sort(hits_.begin(), hits_.end());
      for (int index : hits_) {
        if (Try(record, text, static_cast<size_t>(index))) return Outcome::kApplied;
      }
      return Fail(record);
    }
    // The set ran out of memory on this line: try each pattern in turn.
    for (size_t i = 0; i < patterns_.size(); ++i) {
      if (Try(record, text, i)) return Outcome::kApplied;
    }
    return Fail(record);
  }

 private:
  bool Try(Record& record, std::string_view text, size_t index) {
    if (!patterns_[index]->Parse(text, record.arena(), decode_, &matched_)) return false;
    CommitMatchedFields(record, field_, matched_);
    AddIfMissing(record, fields::kPattern, Value::String(patterns_[index]->name));
    return true;
  }
  static Outcome Fail(Record& record) {
    record.AddError(kName, kNoMatch);
    return Outcome::kFailed;
  }

  std::shared_ptr<const PatternLibrary> library_;
  const std::vector<const NamedPattern*> patterns_;
  const std::unique_ptr<re2::RE2::Set> set_;
  const std::string field_;
  const bool decode_;
  std::vector<int> hits_;
  std::vector<MatchedField> matched_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext& context, std::string_view where,
                                  Diagnostics& diagnostics) {
  if (context.patterns == nullptr) {
    diagnostics.Error(std::string(where), "no pattern library in this context",
                      "build the chain through Engine::Create");
    return nullptr;
  }
  std::shared_ptr<const PatternLibrary> library = context.patterns->Get(diagnostics);
  if (library == nullptr) return nullptr;
  std::vector<const NamedPattern*> patterns;
  const std::vector<std::string_view> names = library->Names();
  bool ok = true;
  for (const std::string& name : SplitList(options.Text("patterns"))) {
    const NamedPattern* info = library->Find(name);
    if (info == nullptr) {
      diagnostics.Error(std::string(where),
                        "parse_auto.patterns: no pattern named '" + name + "'" +
                            DidYouMean(name, names),
                        "docs/patterns.md lists the shipped patterns");
      ok = false;
      continue;
    }
    patterns.push_back(info);
  }
  if (!ok) return nullptr;
  if (patterns.empty()) {
    diagnostics.Error(std::string(where), "parse_auto.patterns is empty",
                      "name the patterns to try, cheapest first");
    return nullptr;
  }
  re2::RE2::Options re_options;
  re_options.set_log_errors(false);
  re_options.set_max_mem(64 << 20);
  auto set = std::make_unique<re2::RE2::Set>(re_options, re2::RE2::ANCHOR_BOTH);
  for (const NamedPattern* p : patterns) {
    std::string error;
    if (set->Add(p->pattern->regex(), &error) < 0) {
      set.reset();
      break;
    }
  }
  if (set != nullptr && !set->Compile()) set.reset();
  return std::make_unique<ParseAuto>(library, std::move(patterns), std::move(set),
                                     std::string(options.Text("field")), options.Bool("decode"));
}

constexpr OptionSpec kOptions[] = {
    {"patterns", OptionType::kString,
     "gunicorn_error,nginx_combined,apache_combined,nginx_common,apache_common,nginx_error,"
     "apache_error,syslog_rfc5424,syslog_rfc3164,klog,python_logging,logfmt",
     "patterns to try, separated by commas; when several match a line, the first listed wins"},
    {"field", OptionType::kString, "",
     "the string field to parse; empty: the line as read (JSON object lines are left alone)"},
    {"decode", OptionType::kBool, "false",
     "undo the server's escaping in fields whose pattern declares it"},
};

constexpr std::string_view kFailures[] = {kNoMatch};

constexpr Example kExamples[] = {
    {"A stream mixing klog and syslog; each record says which pattern fit.",
     "parse_auto,add_log_level", "",
     "E0815 14:19:23.123456   12345 controller.go:114] sync failed: timeout\n"
     "<34>Aug 15 14:19:23 web-1 sshd[4721]: Failed password for root from 192.0.2.9",
     "{\"event\": \"sync failed: timeout\", \"level\": \"error\", \"time\": \"0815 14:19:23.123456\", \"thread\": 12345, \"source\": \"controller.go:114\", \"logchain_pattern\": \"klog\"}\n"
     "{\"event\": \"Failed password for root from 192.0.2.9\", \"priority\": 34, \"time\": \"Aug 15 14:19:23\", \"hostname\": \"web-1\", \"app\": \"sshd\", \"pid\": 4721, \"logchain_pattern\": \"syslog_rfc3164\", \"level\": \"info\"}"},
};

}  // namespace

extern const ProcessorDescriptor kParseAuto = {
    .name = "parse_auto",
    .summary = "parse mixed streams: try a list of patterns, first match wins",
    .description =
        "For streams that mix formats: matches the line as read (or, with `field`, a string "
        "field) against the patterns named in `patterns` and applies the first of the list "
        "that matches the whole text, as parse_pattern does, adding `logchain_pattern` with "
        "the pattern's name. One RE2::Set pass over the line (a single DFA scan for all the "
        "patterns) finds those that match, so only the winner runs its field-splitting "
        "match: a mixed stream costs little more than the right parser alone, however long "
        "the list. List the most specific patterns first where several could match. JSON "
        "object lines, and records without the field, are left alone; a text no pattern "
        "fits keeps its fields and gets an error note.",
    .options = kOptions,
    .failures = kFailures,
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain
