// fold_traceback: Python tracebacks folded into the record they belong to.
//
// A traceback printed after an error line is several lines of text; the
// seed loses it, and a naive line filter makes one record per line. When
// fold_traceback is in the chain, the pipeline groups lines before records
// are built (TracebackFolder, below): the lines of a traceback that follows
// a record it can belong to become that record's continuation, which the
// processor adds as `exception` (the key structlog's format_exc_info uses)
// at its position in the chain.
//
// Grouping rules (Python 3.11's traceback output):
//  - Records a traceback can fold into: gunicorn error-log lines at any
//    level (logging.exception() writes ERROR, but any call may pass
//    exc_info), and lines logchain does not recognise (an application's own
//    stderr). Access lines and JSON lines are never held, so they are never
//    delayed.
//  - A gunicorn error-log message may itself span lines (logging writes the
//    message as given; gunicorn's own multi-line messages, such as the
//    DEBUG "Current configuration:", indent every further line). Indented
//    lines right after a gunicorn error-log line (other than access lines,
//    which start with a space when the host is empty, and JSON lines) are
//    part of its message: they extend the head, so the event keeps them
//    after "\n", as the structlog setup prints the message whole.
//  - "Traceback (most recent call last):" starts a traceback; indented
//    lines continue it; the first unindented line is the exception line.
//  - After the exception line, "" + "During handling of the above exception,
//    another exception occurred:" or "... was the direct cause of ..." + ""
//    + "Traceback ..." chain further exceptions.
//  - "  + Exception Group Traceback (most recent call last):" starts an
//    exception group, which continues while lines are indented.
//  - A traceback with no record to fold into is a record of its own, whose
//    event is its exception line.
// A held record waits for more lines at most idle_ms (live input), and a
// traceback stops growing at max_bytes.
#ifndef LOGCHAIN_PROCESSORS_FOLD_TRACEBACK_H_
#define LOGCHAIN_PROCESSORS_FOLD_TRACEBACK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace logchain {

struct FoldSettings {
  int idle_ms = 50;
  size_t max_bytes = 1 << 20;
};

/// A group of lines that make one record.
struct Entry {
  std::string_view head;          // the record's own line
  bool head_padded = false;       // JsonObjectDecoder::kPadding readable bytes after head
  std::string_view continuation;  // folded lines joined by "\n" (may be empty)
  std::string_view summary;       // for a standalone traceback: its exception line
  /// When grouping already found head's access-line time field (see
  /// gunicorn::FindAccessTime), the field within head; the decoder then
  /// need not look again. Empty: not looked for, or not found.
  std::string_view access_time;
  bool standalone_traceback = false;
  uint32_t lines = 1;             // input lines in this entry
};

/// Groups lines into entries. Lines that cannot start a fold pass straight
/// through (zero copy); a held record and its traceback are copied into the
/// folder, so the caller's buffer may be reused after Push returns.
class TracebackFolder {
 public:
  explicit TracebackFolder(FoldSettings settings) : settings_(settings) {}

  /// Offers the next line. Calls emit(const Entry&) for every entry that is
  /// complete, in input order.
  template <typename Emit>
  void Push(std::string_view line, bool padded, Emit&& emit);

  /// Emits whatever is held (end of input, idle input, before a line piece).
  template <typename Emit>
  void Flush(Emit&& emit);

  bool holding() const { return state_ != State::kIdle; }
  const FoldSettings& settings() const { return settings_; }

  /// True when no fold can span a boundary between `previous` and `line`:
  /// both are plain lines (non-empty, unindented, not traceback markers).
  /// Batch mode cuts its work only at such boundaries.
  static bool IsSafeBoundary(std::string_view previous, std::string_view line);

 private:
  enum class State : uint8_t {
    kIdle,           // nothing held
    kHead,           // a record that a traceback could follow
    kFrames,         // inside a traceback: indented lines continue it
    kGroup,          // inside an exception group
    kAfterException, // the exception line was seen
    kBlankPending,   // ... followed by an empty line that may start a chain
    kMarker,         // a chain marker was seen; an empty line should follow
    kMarkerBlank,    // ... and a new "Traceback" should follow
  };
  enum class Verdict : uint8_t {
    kFold,         // the line belongs to the held traceback
    kFoldMessage,  // the line continues the held head's message
    kHoldBlank,    // an empty line that may start a chained exception
    kEnd,          // the line starts a new entry
  };
  enum class Target : uint8_t { kNone, kGunicorn, kOther };

  Verdict Classify(std::string_view line, State* next) const;
  void Start(std::string_view line, State state, bool standalone);
  void Append(std::string_view line);
  Entry HeldEntry() const;
  /// Whether a traceback may fold into line; sets *access_time when the
  /// answer came from finding line's access-line time field.
  static Target FoldTarget(std::string_view line, std::string_view* access_time);
  static bool IsMessageContinuation(std::string_view line);
  static bool IsTracebackHeader(std::string_view line);
  static bool IsGroupHeader(std::string_view line);

  FoldSettings settings_;
  State state_ = State::kIdle;
  std::string held_;         // head, then "\n" + each folded line
  size_t head_size_ = 0;
  uint32_t held_lines_ = 0;
  bool standalone_ = false;
  bool gunicorn_head_ = false;  // the head is a gunicorn error-log line
  size_t summary_begin_ = 0;  // the latest exception line within held_
  size_t summary_size_ = 0;
};

// --- implementation of the templates ---------------------------------------

template <typename Emit>
void TracebackFolder::Flush(Emit&& emit) {
  if (state_ == State::kIdle) return;
  const bool blank = state_ == State::kBlankPending;
  emit(HeldEntry());
  state_ = State::kIdle;
  held_.clear();
  if (blank) {
    // The empty line after an exception started no chain: it is a record.
    Entry e;
    e.head = std::string_view();
    emit(e);
  }
}

template <typename Emit>
void TracebackFolder::Push(std::string_view line, bool padded, Emit&& emit) {
  if (state_ != State::kIdle) {
    State next = state_;
    const Verdict v = held_.size() + line.size() + 2 > settings_.max_bytes
                          ? Verdict::kEnd
                          : Classify(line, &next);
    if (v == Verdict::kFoldMessage) {
      Append(line);
      head_size_ = held_.size();
      return;
    }
    if (v == Verdict::kFold) {
      if (state_ == State::kBlankPending) Append({});
      if (state_ == State::kFrames && next == State::kAfterException) {
        summary_begin_ = held_.size() + 1;
        summary_size_ = line.size();
      }
      Append(line);
      state_ = next;
      return;
    }
    if (v == Verdict::kHoldBlank) {
      state_ = State::kBlankPending;
      return;
    }
    Flush(emit);
  }
  // The line starts a new entry.
  if (IsTracebackHeader(line)) {
    Start(line, State::kFrames, true);
  } else if (IsGroupHeader(line)) {
    Start(line, State::kGroup, true);
  } else {
    std::string_view access_time;
    if (const Target target = FoldTarget(line, &access_time); target != Target::kNone) {
      Start(line, State::kHead, false);
      gunicorn_head_ = target == Target::kGunicorn;
    } else {
      Entry e;
      e.head = line;
      e.head_padded = padded;
      e.access_time = access_time;
      emit(e);
    }
  }
}

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_FOLD_TRACEBACK_H_
