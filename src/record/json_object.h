// Decoding JSON object lines (an application printing structlog JSON itself).
//
// A line is a JSON record when it is exactly one JSON object (RFC 8259) that
// nests at most kMaxDepth levels. The decoder validates the whole line and
// collects the object's top-level members so processors can look keys up;
// the object's text itself is written out unchanged, so values no processor
// touches keep their exact bytes.
//
// simdjson validates and indexes the common case at several GB/s. It refuses
// some valid JSON: integers beyond 64 bits and numbers beyond double range
// ("numbers keep their digits, big integers are not rounded"), and documents
// above its size limit. Those lines go through RapidJSON's SAX reader with
// numbers kept as text, which accepts any valid number whose exponent fits
// its range (a line holding 1e4005678901234567890123 stays text) and streams
// large documents in O(depth) memory.
#ifndef LOGCHAIN_RECORD_JSON_OBJECT_H_
#define LOGCHAIN_RECORD_JSON_OBJECT_H_

#include <cstddef>
#include <memory>
#include <string_view>

#include "record/record.h"

namespace logchain {

class JsonObjectDecoder {
 public:
  /// Deeper documents are not treated as JSON records (they stay text).
  static constexpr size_t kMaxDepth = 1024;
  /// Lines at least this long skip simdjson, whose index would cost several
  /// times the line in memory, and stream through RapidJSON.
  static constexpr size_t kLargeDocument = 1 << 20;
  /// Readable bytes a caller guarantees after a "padded" line.
  static constexpr size_t kPadding = 64;

  JsonObjectDecoder();
  ~JsonObjectDecoder();
  JsonObjectDecoder(const JsonObjectDecoder&) = delete;
  JsonObjectDecoder& operator=(const JsonObjectDecoder&) = delete;

  /// When `text` (valid UTF-8) is one JSON object, marks `record` as a JSON
  /// record (Record::SetJson) with its top-level members and returns true.
  /// Otherwise leaves the record untouched and returns false. `padded` says
  /// that kPadding bytes after text are readable, which saves a copy.
  /// Member views point into this decoder or the record's arena and stay
  /// valid until the next call.
  bool Decode(std::string_view text, bool padded, Record& record);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_JSON_OBJECT_H_
