#include "processors/fold_traceback.h"

#include "processors/processor.h"
#include "record/fields.h"
#include "record/gunicorn.h"

namespace logchain {
namespace {

constexpr std::string_view kTracebackHeader = "Traceback (most recent call last):";
constexpr std::string_view kGroupHeader = "+ Exception Group Traceback (most recent call last):";
constexpr std::string_view kDuringHandling =
    "During handling of the above exception, another exception occurred:";
constexpr std::string_view kDirectCause =
    "The above exception was the direct cause of the following exception:";

bool IsIndented(std::string_view line) {
  return !line.empty() && (line[0] == ' ' || line[0] == '\t');
}

bool IsChainMarker(std::string_view line) {
  return line == kDuringHandling || line == kDirectCause;
}

bool IsPlain(std::string_view line) {
  return !line.empty() && !IsIndented(line) && line != kTracebackHeader && !IsChainMarker(line);
}

bool StartsJsonObject(std::string_view line) {
  size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  return first < line.size() && line[first] == '{';
}

}  // namespace

bool TracebackFolder::IsMessageContinuation(std::string_view line) {
  // gunicorn on a UNIX socket writes access lines with an empty host, so
  // they start with a space; they and JSON lines are records of their own.
  std::string_view access_time;
  return IsIndented(line) && !IsGroupHeader(line) && !StartsJsonObject(line) &&
         !gunicorn::FindAccessTime(line, &access_time);
}

bool TracebackFolder::IsTracebackHeader(std::string_view line) { return line == kTracebackHeader; }

bool TracebackFolder::IsGroupHeader(std::string_view line) {
  // "  + Exception Group Traceback (most recent call last):", indented by
  // however deep the group is nested.
  if (!IsIndented(line) || line.size() < kGroupHeader.size()) return false;
  const std::string_view tail = line.substr(line.size() - kGroupHeader.size());
  if (tail != kGroupHeader) return false;
  for (char c : line.substr(0, line.size() - kGroupHeader.size())) {
    if (c != ' ') return false;
  }
  return true;
}

TracebackFolder::Target TracebackFolder::FoldTarget(std::string_view line,
                                                    std::string_view* access_time) {
  if (line.empty()) return Target::kNone;
  gunicorn::ErrorLine error_line;
  if (gunicorn::ParseErrorLine(line, &error_line)) return Target::kGunicorn;
  if (StartsJsonObject(line)) return Target::kNone;
  return gunicorn::FindAccessTime(line, access_time) ? Target::kNone : Target::kOther;
}

bool TracebackFolder::IsSafeBoundary(std::string_view previous, std::string_view line) {
  return IsPlain(previous) && IsPlain(line);
}

TracebackFolder::Verdict TracebackFolder::Classify(std::string_view line, State* next) const {
  switch (state_) {
    case State::kIdle:
      return Verdict::kEnd;
    case State::kHead:
      if (gunicorn_head_ && IsMessageContinuation(line)) {
        return Verdict::kFoldMessage;
      }
      [[fallthrough]];
    case State::kMarkerBlank:
      if (IsTracebackHeader(line)) {
        *next = State::kFrames;
        return Verdict::kFold;
      }
      if (IsGroupHeader(line)) {
        *next = State::kGroup;
        return Verdict::kFold;
      }
      return Verdict::kEnd;
    case State::kFrames:
      if (IsIndented(line)) return Verdict::kFold;
      if (line.empty()) return Verdict::kEnd;
      *next = State::kAfterException;  // the exception line
      return Verdict::kFold;
    case State::kGroup:
      if (IsIndented(line)) return Verdict::kFold;
      return line.empty() ? Verdict::kHoldBlank : Verdict::kEnd;
    case State::kAfterException:
      return line.empty() ? Verdict::kHoldBlank : Verdict::kEnd;
    case State::kBlankPending:
      if (!IsChainMarker(line)) return Verdict::kEnd;
      *next = State::kMarker;
      return Verdict::kFold;
    case State::kMarker:
      if (!line.empty()) return Verdict::kEnd;
      *next = State::kMarkerBlank;
      return Verdict::kFold;
  }
  return Verdict::kEnd;
}

void TracebackFolder::Start(std::string_view line, State state, bool standalone) {
  held_.assign(line);
  head_size_ = line.size();
  held_lines_ = 1;
  standalone_ = standalone;
  gunicorn_head_ = false;
  summary_begin_ = summary_size_ = 0;
  state_ = state;
}

void TracebackFolder::Append(std::string_view line) {
  held_.push_back('\n');
  held_.append(line);
  ++held_lines_;
}

Entry TracebackFolder::HeldEntry() const {
  Entry e;
  const std::string_view held(held_);
  e.head = held.substr(0, head_size_);
  e.continuation = held_.size() > head_size_ ? held.substr(head_size_ + 1) : std::string_view();
  e.standalone_traceback = standalone_;
  e.summary = held.substr(summary_begin_, summary_size_);
  e.lines = held_lines_;
  return e;
}

namespace {

class FoldTraceback final : public Processor {
 public:
  Outcome Process(Record& record) noexcept override {
    if (record.continuation().empty()) return Outcome::kNotApplicable;
    return AddIfMissing(record, fields::kException, Value::String(record.continuation()));
  }
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues&,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<FoldTraceback>();
}

constexpr OptionSpec kOptions[] = {
    {"idle_ms", OptionType::kInt, "50",
     "how long a record that more lines (a traceback, the rest of a message) could follow "
     "waits for more input on a live stream",
     {}, 0, 10000},
    {"max_bytes", OptionType::kInt, "1048576",
     "a traceback longer than this stops folding; the rest become records of their own", {},
     1024, 1 << 30},
};

constexpr Example kExamples[] = {
    {"The traceback after gunicorn's error line becomes its `exception`.",
     "fold_traceback,add_log_level", "",
     "[2019-08-15 14:19:30 +0000] [30100] [ERROR] Error handling request /boom\n"
     "Traceback (most recent call last):\n"
     "  File \"/app/views.py\", line 4, in boom\n"
     "    1/0\n"
     "ZeroDivisionError: division by zero",
     R"j({"event": "Error handling request /boom", "exception": "Traceback (most recent call last):\n  File \"/app/views.py\", line 4, in boom\n    1/0\nZeroDivisionError: division by zero", "level": "error"})j"},
    {"gunicorn's multi-line messages keep their indented lines in the event.",
     "fold_traceback,add_log_level", "",
     "[2019-08-15 14:19:14 +0000] [30099] [DEBUG] Current configuration:\n"
     "  config: ./gunicorn.conf.py\n"
     "  workers: 2",
     R"j({"event": "Current configuration:\n  config: ./gunicorn.conf.py\n  workers: 2", "level": "debug"})j"},
    {"A traceback with nothing to fold into is a record of its own.",
     "fold_traceback,add_log_level", "",
     "Traceback (most recent call last):\n"
     "  File \"<stdin>\", line 1, in <module>\n"
     "KeyError: 'k'",
     R"j({"event": "KeyError: 'k'", "exception": "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nKeyError: 'k'", "level": "error"})j"},
};

}  // namespace

extern const ProcessorDescriptor kFoldTraceback = {
    .name = "fold_traceback",
    .summary = "fold a Python traceback into the record before it, as `exception`",
    .description =
        "Folds the lines of a Python traceback (chained exceptions and exception groups "
        "included) into the record it follows, as an `exception` string: the key structlog's "
        "format_exc_info writes, where the seed loses the text. A traceback can follow a "
        "gunicorn error-log line (any level) or a line logchain does not recognise; one "
        "that follows anything else is a record of its own, whose event is its exception "
        "line. Indented lines right after a gunicorn error-log line continue its message "
        "(gunicorn's multi-line messages, such as DEBUG \"Current configuration:\") and "
        "stay in its event after \"\\n\", as the structlog setup prints it. On live input "
        "a record that more lines could follow waits at most idle_ms for the next line; "
        "access and JSON lines never wait. The field is "
        "added where fold_traceback stands in the chain (first: right after `event`, where "
        "the seed puts exc_info).",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain
