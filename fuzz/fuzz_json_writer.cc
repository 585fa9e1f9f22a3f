// The JSON writer and renderer: any bytes as keys and values, in both
// styles, through a small buffer that spills mid-record. The output must be
// one JSON object (RapidJSON, validating UTF-8) whose members are the
// fields, with text equal to the input where it was UTF-8 and to its
// U+FFFD-sanitised form where not; the seed style must be pure ASCII.
#include <cmath>
#include <string>

#include "common/arena.h"
#include "fuzz_util.h"
#include "output/json_renderer.h"
#include "output/json_writer.h"
#include "output/out_buffer.h"
#include "record/record.h"
#include "record/utf8.h"

using logchain::JsonStyle;
using logchain::OutBuffer;
using logchain::Record;
using logchain::Value;

namespace {

bool Collect(void* context, std::string_view bytes) {
  static_cast<std::string*>(context)->append(bytes);
  return true;
}

std::string Render(const Record& record, JsonStyle style, size_t spill_limit) {
  std::string out;
  OutBuffer buffer(16);
  buffer.SetSpill(Collect, &out, spill_limit);
  logchain::RenderJson(record, style, buffer);
  out.append(buffer.view());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  logchain::fuzz::Steer steer(data, size);
  const size_t spill_limit = 16 + steer.Short() % 4096;
  const uint8_t kinds = steer.Byte();
  double number;
  {
    uint8_t bytes[sizeof number];
    for (uint8_t& b : bytes) b = steer.Byte();
    std::memcpy(&number, bytes, sizeof number);
  }
  // Any 64-bit pattern, the sign bit included (built unsigned: no overflow).
  const uint64_t high = static_cast<uint64_t>(steer.Short()) << 48;
  const uint64_t low = static_cast<uint64_t>(steer.Short()) << 16 | steer.Byte();
  const auto integer = static_cast<int64_t>(high | low);

  // Keys and values alternate, separated by 0xFF bytes (which are never UTF-8).
  Record record;
  record.Reset();
  const std::string_view rest = steer.Rest();
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '\xFF') {
      pieces.push_back(rest.substr(start, i - start));
      start = i + 1;
    }
  }
  logchain::Arena arena;
  std::vector<std::pair<std::string, std::string>> expected;  // key, value as text
  for (size_t i = 0; i + 1 < pieces.size() && i < 32; i += 2) {
    // Keys are unique here (the chain never adds a key twice); values are strings.
    std::string key = std::string(pieces[i]) + "#" + std::to_string(i);
    const std::string_view stored = record.arena().Copy(key);
    record.Add(stored, Value::String(pieces[i + 1]));
    auto text = [&arena](std::string_view s) {
      return std::string(logchain::IsValidUtf8(s) ? s : logchain::SanitizeUtf8(s, arena));
    };
    expected.emplace_back(text(key), text(pieces[i + 1]));
  }
  // Slices of the first value, as a parser adds them after the event: the
  // renderer may copy these from where escaping the first value found them
  // clean (output/json_writer.h, EscapeMarks).
  if ((kinds & 128) != 0 && pieces.size() >= 2) {
    const std::string_view first = pieces[1];
    for (size_t i = 0; i < 4; ++i) {
      const size_t from = first.size() * i / 5;
      const std::string_view slice = first.substr(from, first.size() * (i + 2) / 5 - from);
      const std::string key = "slice#" + std::to_string(i);
      record.Add(record.arena().Copy(key), Value::String(slice));
      expected.emplace_back(key, std::string(logchain::IsValidUtf8(slice)
                                                 ? slice
                                                 : logchain::SanitizeUtf8(slice, arena)));
    }
  }
  if (kinds & 1) record.Add("float", Value::Double(number));
  if (kinds & 2) record.Add("int", Value::Int(integer));
  if (kinds & 4) record.Add("null", Value::Null());
  if (kinds & 8) record.Add("bool", Value::Bool(kinds & 16));
  if (kinds & 32) record.AddError("fuzz", "a note");
  if (kinds & 64) record.set_raw(rest);

  for (JsonStyle style : {JsonStyle::kSeed, JsonStyle::kCompact}) {
    const std::string out = Render(record, style, spill_limit);
    FUZZ_CHECK(!out.empty() && out.back() == '\n');
    FUZZ_CHECK(out.find('\n') == out.size() - 1);
    const std::string_view json(out.data(), out.size() - 1);
    if (style == JsonStyle::kSeed) {
      for (char c : json) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F);
      for (char c : json) FUZZ_CHECK(static_cast<unsigned char>(c) < 0x80);
    }
    rapidjson::Document doc;
    FUZZ_CHECK(logchain::fuzz::ParseJson(json, &doc));
    FUZZ_CHECK(doc.IsObject());
    // Members by index: iterator comparison is ambiguous in C++20 for RapidJSON 1.1.
    size_t index = 0;
    auto next = [&doc, &index]() {
      FUZZ_CHECK(index < doc.MemberCount());
      return &doc.MemberBegin()[static_cast<ptrdiff_t>(index++)];
    };
    for (const auto& [key, value] : expected) {
      const auto* it = next();
      FUZZ_CHECK(std::string_view(it->name.GetString(), it->name.GetStringLength()) == key);
      FUZZ_CHECK(it->value.IsString());
      FUZZ_CHECK(std::string_view(it->value.GetString(), it->value.GetStringLength()) == value);
    }
    if (kinds & 1) {
      const auto* it = next();
      // Numbers are kept as text by the parser: compare the value they denote.
      if (std::isfinite(number)) {
        FUZZ_CHECK(it->value.IsString());
        FUZZ_CHECK(std::strtod(it->value.GetString(), nullptr) == number);
      } else {
        FUZZ_CHECK(it->value.IsNull());
      }
    }
    if (kinds & 2) {
      const auto* it = next();
      FUZZ_CHECK(it->value.IsString());
      FUZZ_CHECK(std::strtoll(it->value.GetString(), nullptr, 10) == integer);
    }
  }
  return 0;
}
