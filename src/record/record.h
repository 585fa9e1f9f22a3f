// Record: one log event on its way from a line to a JSON object.
//
// A Record is created once per pipeline and Reset() for every line, so the
// hot path reuses its storage. It holds:
//  - the line exactly as read (never modified) and its text (the same bytes
//    when the line is valid UTF-8, else the sanitised copy);
//  - where the line came from (Origin): what the line decoder recognised and
//    the level, logger and event time that belong to it, which processors
//    such as add_log_level turn into fields, as structlog's processors read
//    them from a stdlib LogRecord;
//  - for a JSON object line, its top-level members (for lookup only: the
//    object's original text is what gets written, so untouched values keep
//    their exact bytes);
//  - an ordered list of fields, in insertion order as a Python dict keeps
//    it, which the seed-compatible output depends on;
//  - per-record notes: processor errors, a folded traceback, a split piece.
//
// Lifetimes: every view stored in a Record points into the line (valid until
// the reader refills its buffer, after the record is rendered), the record's
// arena, a decoder's buffer that lives as long as the pipeline, or static
// storage. Never into a parser buffer that the next parse overwrites.
#ifndef LOGCHAIN_RECORD_RECORD_H_
#define LOGCHAIN_RECORD_RECORD_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "record/fields.h"
#include "record/value.h"

namespace logchain {

/// What the line decoder recognised.
enum class LineKind : uint8_t {
  kText,            // anything else: event = the whole line
  kGunicornError,   // "[date] [pid] [LEVEL] message": event = message
  kGunicornAccess,  // a combined-format access line: event = the whole line
  kJson,            // one JSON object: the line is kept, keys are appended
  kTraceback,       // a traceback with no record before it to fold into
  kPart,            // a piece of a line longer than the maximum line length
};

/// A point in time from a line, in UTC.
struct EventTime {
  int64_t seconds = 0;     // since the Unix epoch
  int32_t microseconds = 0;
  bool valid = false;
};

struct Origin {
  LineKind kind = LineKind::kText;
  std::string_view level;   // lower-case, as structlog's add_log_level writes it
  std::string_view logger;
  EventTime time;           // the event's own time, when the line carries one
  /// For a line of a configured access format (patterns/log_format.h): each
  /// field's text as the decoder's match found it (null data: absent), in
  /// the record's arena, so that parse_format does not match the line again.
  const std::string_view* format_groups = nullptr;
};

class Record {
 public:
  Record() = default;
  Record(const Record&) = delete;
  Record& operator=(const Record&) = delete;

  /// Forgets the previous record, arena included.
  void Reset();
  /// Sets the line this record stands for. `text` is its valid UTF-8 form
  /// (the line itself, or a sanitised copy in arena()); `single_line` says
  /// that text is known to hold no line feed.
  void SetLine(std::string_view line, std::string_view text, bool single_line = false) {
    line_ = line;
    text_ = text;
    text_single_line_ = single_line;
  }

  std::string_view line() const { return line_; }
  std::string_view text() const { return text_; }
  bool line_was_valid_utf8() const { return line_.data() == text_.data(); }
  /// Whether text() is known to hold no line feed (false: not known).
  bool text_is_single_line() const { return text_single_line_; }

  Origin& origin() { return origin_; }
  const Origin& origin() const { return origin_; }

  /// Appends a field. The caller makes sure the key is not present yet
  /// (processors never overwrite: see Has()). Given a fields::Key (the
  /// names in record/fields.h, or one a processor built from its
  /// configuration), no work is spent recognising the name.
  void Add(fields::Key key, Value value) {
    fields_.push_back(Field{key.name, value});
    key_mask_ |= KeyBit(key.name);
    if (key.known >= 0) known_[key.known] = static_cast<uint32_t>(fields_.size());
  }
  void Add(std::string_view key, Value value) { Add(fields::Key(key), value); }

  /// The value of `key`, searching appended fields and then the JSON line's
  /// own members (the last duplicate wins, as in Python's json.loads), or
  /// null when absent.
  [[gnu::always_inline]] const Value* Find(fields::Key key) const {
    if ((key_mask_ & KeyBit(key.name)) == 0) return nullptr;
    if (key.known < 0) return FindPresent(key.name);
    const Value* field = FindKnownField(static_cast<fields::KnownKey>(key.known));
    return field != nullptr ? field : FindMember(key.name);
  }
  const Value* Find(std::string_view key) const {
    return (key_mask_ & KeyBit(key)) == 0 ? nullptr : FindPresent(key);
  }
  /// The value of the last of the JSON line's own members named `key`, or
  /// null; appended fields are not searched.
  /// Inline, so that for a constant key each comparison is of a constant
  /// size: a few word compares, no library call.
  [[gnu::always_inline]] const Value* FindJsonMember(fields::Key key) const {
    return (key_mask_ & KeyBit(key.name)) == 0 ? nullptr : ScanMembers(key.name);
  }
  /// The value of the last appended field named `key`, or null; unlike
  /// Find(), a JSON line's own members are not searched. No scan: the
  /// record keeps the position of each known key.
  const Value* FindKnownField(fields::KnownKey key) const {
    const uint32_t at = known_[key];
    return at == 0 ? nullptr : &fields_[at - 1].value;
  }
  template <typename KeyT>  // fields::Key, or any string
  bool Has(const KeyT& key) const {
    return Find(key) != nullptr;
  }
  /// Find() narrowed to strings: the text, or nullptr when absent or not a string.
  template <typename KeyT>
  const std::string_view* FindString(const KeyT& key) const {
    const Value* v = Find(key);
    return v != nullptr && v->is_string() ? &v->text : nullptr;
  }

  const std::vector<Field>& fields() const { return fields_; }

  /// The last field the chain added under `key`, or null, for processors
  /// that rename, remove or rewrite fields (its value may be changed, its
  /// key only through RenameField()). A JSON line's own members are not
  /// fields: they are written byte for byte and cannot be changed.
  Field* FindField(std::string_view key);
  /// Removes every field the chain added under `key`; false when there was none.
  bool RemoveField(std::string_view key);
  /// Gives the last field named `from` the name `to`, in place; a field
  /// already named `to` is removed. False when there is no `from`.
  bool RenameField(std::string_view from, std::string_view to);

  // JSON object lines.
  /// Marks the record as a JSON object line. `object_text` is the object
  /// from its '{' to its '}' within line(); `empty` says it has no members.
  void SetJson(std::string_view object_text, bool empty);
  std::string_view json_object_text() const { return json_text_; }
  bool json_object_empty() const { return json_empty_; }
  void AddJsonMember(std::string_view key, Value value) {
    json_members_.push_back(Field{key, value});
    key_mask_ |= KeyBit(key);
  }
  const std::vector<Field>& json_members() const { return json_members_; }
  /// Gives every member named `key` (duplicates included) the value `value`,
  /// for processors that must change what a JSON line carries (redaction).
  /// The renderer then writes `value` in place of those members' original
  /// text and keeps the rest of the object byte for byte. False when the
  /// object has no such member.
  bool ReplaceJsonMember(std::string_view key, Value value);
  /// Indices into json_members() of the members ReplaceJsonMember changed,
  /// in increasing order.
  const std::vector<uint32_t>& replaced_json_members() const { return replaced_; }
  /// Drops members collected by a decode attempt that failed.
  void ClearJsonMembers();

  // Folded traceback: the lines after the head line, joined by "\n".
  void set_continuation(std::string_view text) { continuation_ = text; }
  std::string_view continuation() const { return continuation_; }

  // Pieces of an over-long line.
  void set_part(uint32_t number, bool last) {
    part_number_ = number;
    last_part_ = last;
  }
  uint32_t part_number() const { return part_number_; }  // 0: not a piece
  bool last_part() const { return last_part_; }

  /// Notes that `processor` failed for `reason` (a static string). The
  /// renderer writes all notes as fields::kError.
  void AddError(std::string_view processor, std::string_view reason) {
    errors_.push_back(ErrorNote{processor, reason});
  }
  struct ErrorNote {
    std::string_view processor;
    std::string_view reason;
  };
  const std::vector<ErrorNote>& errors() const { return errors_; }

  /// Original bytes to keep as base64 (set when they were not valid UTF-8).
  void set_raw(std::string_view raw) { raw_ = raw; }
  std::string_view raw() const { return raw_; }

  Arena& arena() { return arena_; }

 private:
  // A one-word filter over the keys present, so that looking up an absent
  // key (what every processor does before adding one) is usually one test.
  const Value* FindPresent(std::string_view key) const;
  const Value* FindMember(std::string_view key) const;  // ScanMembers, not inlined
  // The last member named `key`, searched backwards (no key-bit check).
  [[gnu::always_inline]] const Value* ScanMembers(std::string_view key) const {
    for (auto it = json_members_.rbegin(); it != json_members_.rend(); ++it) {
      if (it->key.size() == key.size() && std::memcmp(it->key.data(), key.data(), key.size()) == 0) {
        return &it->value;
      }
    }
    return nullptr;
  }
  void IndexKnownFields();
  static uint64_t KeyBit(std::string_view key) {
    if (key.empty()) return 1;
    // Distinct bits for every key logchain itself adds.
    const auto first = static_cast<unsigned char>(key.front());
    const auto last = static_cast<unsigned char>(key.back());
    const size_t second = key.size() > 1 ? static_cast<unsigned char>(key[1]) : 0;
    return uint64_t{1} << ((key.size() + first + last + second * 6) & 63);
  }

  std::string_view line_;
  std::string_view text_;
  Origin origin_;
  std::vector<Field> fields_;
  std::vector<Field> json_members_;
  std::vector<uint32_t> replaced_;  // indices into json_members_, sorted
  uint64_t key_mask_ = 0;  // KeyBit of every key in fields_ and json_members_
  // For each fields::KnownKey, 1 + the index in fields_ of the last field
  // with that key; 0 when there is none.
  std::array<uint32_t, fields::kKnownKeyCount> known_{};
  std::string_view json_text_;
  bool json_empty_ = false;
  bool text_single_line_ = false;
  std::string_view continuation_;
  std::string_view raw_;
  uint32_t part_number_ = 0;
  bool last_part_ = false;
  std::vector<ErrorNote> errors_;
  Arena arena_;
};

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_RECORD_H_
