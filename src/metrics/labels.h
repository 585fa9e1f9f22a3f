// Label values for logchain's metrics, bounded by construction.
//
// Every label value a metric can carry comes from a fixed set or from a
// bounded, first-come set, so that no input (a scanner sending random
// methods, an app inventing a logger name per request) can make the number
// of series grow without limit. Whatever falls outside a set is counted
// under "other"; a record without the field is counted under "none".
//
// These functions sit on the record path (called once per written record
// when metrics are on) and allocate nothing except when LoggerNames admits a
// new name.
#ifndef LOGCHAIN_METRICS_LABELS_H_
#define LOGCHAIN_METRICS_LABELS_H_

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace logchain::metrics {

inline constexpr std::string_view kOther = "other";
inline constexpr std::string_view kNone = "none";

// HTTP methods: the nine of RFC 9110 and RFC 5789, as written on the wire
// (methods are case-sensitive). Index kMethodOther is everything else.
inline constexpr std::array<std::string_view, 9> kMethods = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
inline constexpr uint32_t kMethodOther = kMethods.size();
inline constexpr uint32_t kMethodSlots = kMethods.size() + 1;

/// A method name of 3 to 7 bytes as one word: its bytes from the lowest,
/// zero-padded (`bytes`), with its size `n` in the top byte (so that "GET"
/// and "GET\0" differ). Every way of reading a method ends here.
constexpr uint64_t MethodWordFrom(uint64_t bytes, size_t n) {
  return bytes | static_cast<uint64_t>(n) << 56;
}

/// MethodWordFrom() of a name, byte by byte (for the table, at compile time).
constexpr uint64_t MethodWordOf(std::string_view name) {
  uint64_t bytes = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    bytes |= static_cast<uint64_t>(static_cast<unsigned char>(name[i])) << (8 * i);
  }
  return MethodWordFrom(bytes, name.size());
}

/// MethodWordOf() read in two overlapping loads, never past the name's end.
inline uint64_t MethodWord(const char* p, size_t n) {
  if constexpr (std::endian::native != std::endian::little) {
    return MethodWordOf(std::string_view(p, n));
  }
  uint32_t head = 0;
  uint32_t tail = 0;
  unsigned shift = 16;
  if (n >= 4) {
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);  // overlaps head with the same bytes
    shift = 8 * static_cast<unsigned>(n - 4);
  } else {  // n == 3
    uint16_t low = 0;
    std::memcpy(&low, p, 2);
    head = low;
    tail = static_cast<unsigned char>(p[2]);
  }
  return MethodWordFrom(static_cast<uint64_t>(head) | static_cast<uint64_t>(tail) << shift, n);
}

/// A perfect hash of the methods' words into 16 slots: the top four bits of
/// word * multiplier, with the first multiplier (of a fixed sequence) under
/// which no two methods share a slot, found when compiling.
namespace method_hash {
inline constexpr unsigned kBits = 4;
constexpr size_t Index(uint64_t word, uint64_t multiplier) {
  return static_cast<size_t>((word * multiplier) >> (64 - kBits));
}
constexpr bool Separates(uint64_t multiplier) {
  bool used[size_t{1} << kBits] = {};
  for (std::string_view m : kMethods) {
    const size_t i = Index(MethodWordOf(m), multiplier);
    if (used[i]) return false;
    used[i] = true;
  }
  return true;
}
constexpr uint64_t FindMultiplier() {
  uint64_t m = 0x9E3779B97F4A7C15ull;  // odd multipliers from a Weyl sequence
  while (!Separates(m)) m += 0x6A09E667F3BCC909ull * 2;
  return m;
}
inline constexpr uint64_t kMultiplier = FindMultiplier();
struct Slot {
  uint64_t word = 0;  // 0: no method (no method word is 0)
  uint32_t slot = kMethodOther;
};
constexpr std::array<Slot, size_t{1} << kBits> MakeTable() {
  std::array<Slot, size_t{1} << kBits> table{};
  for (uint32_t i = 0; i < kMethods.size(); ++i) {
    const uint64_t word = MethodWordOf(kMethods[i]);
    table[Index(word, kMultiplier)] = Slot{word, i};
  }
  return table;
}
inline constexpr std::array<Slot, size_t{1} << kBits> kTable = MakeTable();
}  // namespace method_hash

/// The slot of the method whose MethodWordOf() is `word`: its index in
/// kMethods, or kMethodOther. One multiply, one load, one compare, and no
/// branch on which method it is: asked on every access record, where a
/// switch on the name's size was an indirect jump that a stream of mixed
/// methods kept mispredicting.
inline uint32_t MethodSlotOfWord(uint64_t word) {
  const method_hash::Slot& entry =
      method_hash::kTable[method_hash::Index(word, method_hash::kMultiplier)];
  return entry.word == word ? entry.slot : kMethodOther;
}

/// The method's index in kMethods, or kMethodOther.
inline uint32_t MethodSlot(std::string_view method) {
  const size_t n = method.size();
  if (n < 3 || n > 7) return kMethodOther;
  return MethodSlotOfWord(MethodWord(method.data(), n));
}
std::string_view MethodLabel(uint32_t slot);

/// Word n of an HTTP request line ("GET /path HTTP/1.1": word 0 is "GET",
/// word 1 "/path"), words being separated by runs of spaces; empty when
/// there is no such word.
std::string_view RequestWord(std::string_view request, int n);

/// RequestMethodSlot()'s answer for a request with no first word.
inline constexpr uint32_t kNoMethod = ~uint32_t{0};

/// MethodSlot(RequestWord(request, 0)), or kNoMethod when that is empty.
/// The usual request starts with its method and a space within its first
/// eight bytes: then the first space is found in one word (a zero byte of
/// word ^ "        "; the lowest flag the subtraction sets is exact, later
/// ones may be false), and the method's word is that word cut at the
/// space, with no branch on the method's size.
inline uint32_t RequestMethodSlot(std::string_view request) {
  if constexpr (std::endian::native == std::endian::little) {
    if (request.size() >= 8 && request[0] != ' ') {
      uint64_t word = 0;
      std::memcpy(&word, request.data(), 8);
      const uint64_t x = word ^ 0x2020202020202020ull;
      const uint64_t spaces = (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
      if (spaces != 0) {
        const auto n = static_cast<unsigned>(std::countr_zero(spaces)) / 8;  // 1 to 7
        return MethodSlotOfWord(MethodWordFrom(word & ((uint64_t{1} << (8 * n)) - 1), n));
      }
    }
  }
  const std::string_view method = RequestWord(request, 0);
  return method.empty() ? kNoMethod : MethodSlot(method);
}

// Status codes: 100 to 599 keep their number; anything else is "other"
// (slot 0). A status is never more than 600 series.
inline constexpr uint32_t kStatusOther = 0;
inline constexpr uint32_t kStatusSlots = 600;
inline uint32_t StatusSlot(int64_t status) {
  return status >= 100 && status <= 599 ? static_cast<uint32_t>(status) : kStatusOther;
}
std::string StatusLabel(uint32_t slot);

// Levels: the names structlog's add_log_level writes, matched without regard
// to case ("INFO" from an app's own JSON counts as "info"); "warn" counts as
// "warning" and "exception" as "error", as structlog maps them.
inline constexpr std::array<std::string_view, 5> kLevels = {"debug", "info", "warning", "error",
                                                            "critical"};
inline constexpr uint32_t kLevelOther = kLevels.size();
inline constexpr uint32_t kLevelNone = kLevels.size() + 1;
inline constexpr uint32_t kLevelSlots = kLevels.size() + 2;
/// LevelSlot() for a level that is not one of kLevels exactly: the other
/// spellings, none and other.
uint32_t LevelSlotOtherwise(std::string_view level);

/// Whether text is kLevels[I] exactly, as a compare of a constant size.
template <size_t I>
inline bool IsLevel(std::string_view text) {
  return text.size() == kLevels[I].size() &&
         std::memcmp(text.data(), kLevels[I].data(), kLevels[I].size()) == 0;
}

/// The level's slot. Inline for the names add_log_level writes, which
/// every record is asked for.
inline uint32_t LevelSlot(std::string_view level) {
  if (IsLevel<1>(level)) return 1;
  if (IsLevel<2>(level)) return 2;
  if (IsLevel<3>(level)) return 3;
  if (IsLevel<0>(level)) return 0;
  if (IsLevel<4>(level)) return 4;
  return LevelSlotOtherwise(level);
}
std::string_view LevelLabel(uint32_t slot);

/// Logger names, admitted first come first served up to a limit; later
/// names count as "other". A name longer than kMaxLoggerBytes or holding a
/// control character is "other" too. Thread-safe: every engine thread asks
/// the same instance, so a name has the same slot everywhere. Callers keep
/// their own cache of answers (see LoggerCache) so the lock is taken once
/// per thread and name, not per record.
class LoggerNames {
 public:
  static constexpr uint32_t kOtherSlot = 0;
  static constexpr uint32_t kNoneSlot = 1;
  static constexpr size_t kMaxLoggerBytes = 128;

  explicit LoggerNames(size_t limit) : limit_(limit) {}

  /// The slot of `name` (kNoneSlot for an empty name), admitting it while
  /// fewer than `limit` names are admitted.
  uint32_t Slot(std::string_view name);
  /// How many slots there are with `limit` names: those, other and none.
  static constexpr size_t SlotCount(size_t limit) { return limit + 2; }
  /// The label of a slot Slot() returned.
  std::string Label(uint32_t slot) const;
  size_t limit() const { return limit_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::mutex mutex_;
  size_t limit_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> slots_;
  std::vector<std::string> names_;  // slot - 2 -> name
};

/// A string's size and two words, its first and last eight bytes (fewer,
/// zero-padded, when it is shorter), which are the whole string when it is
/// at most 16 bytes: two such strings are then equal exactly when these
/// are. Read without a library call, for label values compared on every
/// record.
struct ShortText {
  uint64_t head = 0;
  uint64_t tail = 0;
  size_t size = 0;

  /// Fills `out` from `text`; true when text is at most 16 bytes, so that
  /// `out` is all of it.
  static bool Of(std::string_view text, ShortText* out) {
    const char* p = text.data();
    const size_t n = text.size();
    out->size = n;
    if (n >= 8) {
      std::memcpy(&out->head, p, 8);
      std::memcpy(&out->tail, p + n - 8, 8);
      return n <= 16;
    }
    if (n >= 4) {
      uint32_t head = 0;
      uint32_t tail = 0;
      std::memcpy(&head, p, 4);
      std::memcpy(&tail, p + n - 4, 4);
      out->head = head;
      out->tail = tail;
      return true;
    }
    // Bytes 0, n/2 and n-1 are every byte of a string of 1 to 3 bytes.
    out->head = n == 0 ? 0
                       : static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
                             static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
                             static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
    out->tail = 0;
    return true;
  }
  bool operator==(const ShortText&) const = default;
};

/// One thread's memory of LoggerNames' answers, asked for every record: a
/// small direct-mapped table of names and slots, indexed by a name's
/// ShortText and confirmed by it (and, past 16 bytes, by the bytes in
/// between). A name not in the table (new, or displaced by another with the
/// same index) is asked of LoggerNames again (an uncontended lock), so a
/// stream of ever-new logger names costs a little time, never unbounded
/// memory.
class LoggerCache {
 public:
  explicit LoggerCache(LoggerNames* names) : names_(names) {}
  uint32_t Slot(std::string_view name) {
    const size_t n = name.size();
    if (n == 0) return LoggerNames::kNoneSlot;
    if (n > LoggerNames::kMaxLoggerBytes) return LoggerNames::kOtherSlot;
    ShortText text;
    const bool whole = ShortText::Of(name, &text);
    Entry& entry = entries_[Index(text)];
    if (entry.text == text && (whole || std::memcmp(entry.middle, name.data() + 8, n - 16) == 0)) {
      return entry.slot;
    }
    entry.slot = names_->Slot(name);
    entry.text = text;
    if (!whole) std::memcpy(entry.middle, name.data() + 8, n - 16);
    return entry.slot;
  }

 private:
  static constexpr size_t kEntries = 64;
  struct Entry {
    ShortText text;  // size 0: empty (an empty name never gets here)
    uint32_t slot = 0;
    char middle[LoggerNames::kMaxLoggerBytes - 16];  // bytes 8 to size - 8, past 16 bytes
  };
  static_assert(LoggerNames::kMaxLoggerBytes > 16);

  static size_t Index(const ShortText& text) {
    const uint64_t mixed =
        (text.head ^ (text.tail * 0x9E3779B97F4A7C15ull) ^ text.size) * 0xBF58476D1CE4E5B9ull;
    return static_cast<size_t>(mixed >> 58);  // 6 bits: kEntries
  }

  LoggerNames* names_;
  std::array<Entry, kEntries> entries_{};
};

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_LABELS_H_
