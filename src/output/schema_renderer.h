// Field schemas: the same record under the names other tools expect.
//
// The default output uses the seed's names (event, level, logger, timestamp,
// host, ...), written by output/json_renderer.h. `--schema ecs` and
// `--schema otel` write each record instead as
//  - ecs: Elastic Common Schema, nested objects (message, log.level,
//    log.logger, @timestamp, source.address, http.request.method,
//    url.original, http.response.status_code, ...);
//  - otel: the OpenTelemetry log data model (Timestamp, SeverityText,
//    SeverityNumber, Body, InstrumentationScope, Attributes with
//    semantic-convention names).
// docs/schemas.md lists every name, the spec versions, and where fields a
// schema has no name for go (labels / Attributes, under their own key).
//
// The mapping is a renderer, chosen once per pipeline: the seed path does not
// see it. It is the last step of a line's path, after the chain; processors
// and metrics always work on the seed names.
#ifndef LOGCHAIN_OUTPUT_SCHEMA_RENDERER_H_
#define LOGCHAIN_OUTPUT_SCHEMA_RENDERER_H_

#include <array>
#include <deque>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "output/json_writer.h"
#include "output/out_buffer.h"
#include "record/json_members.h"
#include "record/record.h"

namespace logchain {

enum class Schema : uint8_t { kSeed, kEcs, kOtel };

/// "seed", "ecs", "otel" -> Schema; false for anything else.
bool ParseSchema(std::string_view name, Schema* schema);

/// The ECS version whose field names the ecs schema writes (as ecs.version).
inline constexpr std::string_view kEcsVersion = "8.11.0";

/// Writes records under the ecs or otel schema. One per pipeline thread: it
/// keeps scratch space between records. Never throws except std::bad_alloc.
class SchemaRenderer {
 public:
  explicit SchemaRenderer(Schema schema) : schema_(schema) {}

  /// Appends the record as one JSON line, newline included.
  void Render(const Record& record, JsonStyle style, OutBuffer& out);

 private:
  static constexpr size_t kMaxDepth = 4;
  // One output member: where it goes (path components, the last one its
  // key) and what it holds (a Value, or raw JSON text from a JSON line).
  struct Entry {
    std::array<std::string_view, kMaxDepth> path;
    uint8_t depth = 0;
    bool raw = false;        // write `text` verbatim
    bool in_array = false;   // write the value as a one-element array
    Value value;
    std::string_view text;   // raw JSON when `raw`
  };

  void Map(std::string_view key, const Value& value, std::string_view raw);
  void MapEcs(std::string_view key, const Value& value, std::string_view raw);
  void MapOtel(std::string_view key, const Value& value, std::string_view raw);
  void Unmapped(std::string_view key, const Value& value, std::string_view raw);
  // Adds an entry at the dotted path (split at '.' up to kMaxDepth) under
  // `root` (empty: top level), unless the path is taken.
  void Put(std::string_view root, std::string_view dotted, const Value& value,
           std::string_view raw = {}, bool in_array = false);
  void PutFlat(std::string_view root, std::string_view key, const Value& value,
               std::string_view raw = {});
  void Add(Entry entry);
  void Emit(JsonStyle style, OutBuffer& out);
  void EmitLevel(size_t depth, const std::vector<uint32_t>& members, JsonStyle style,
                 OutBuffer& out);
  std::string_view Keep(std::string text);

  Schema schema_;
  std::vector<Entry> entries_;
  std::vector<JsonMemberSpan> spans_;
  std::deque<std::string> scratch_;  // text made for this record (notes, times): stable addresses
};

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_SCHEMA_RENDERER_H_
