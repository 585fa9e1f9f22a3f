#include "output/console_renderer.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>
#include <vector>

#include "record/fields.h"

namespace logchain {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kDim = "\x1b[2m";
constexpr std::string_view kBright = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kBlue = "\x1b[34m";
constexpr std::string_view kMagenta = "\x1b[35m";
constexpr std::string_view kCyan = "\x1b[36m";

constexpr size_t kLevelWidth = 8;   // "critical"
constexpr size_t kEventWidth = 30;  // structlog's pad_event

std::string_view LevelColor(std::string_view level) {
  if (level == "critical") return "\x1b[31m\x1b[1m";
  if (level == "error" || level == "exception") return kRed;
  if (level == "warning" || level == "warn") return kYellow;
  if (level == "info" || level == "debug") return kGreen;
  return kRed;
}

// Appends text with control characters escaped (\n, \t, \xNN); with
// keep_newlines, "\n" stays a line break (a traceback's lines).
size_t AppendVisible(std::string& out, std::string_view text, bool keep_newlines = false) {
  size_t width = 0;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n' && keep_newlines) {
      out.push_back('\n');
    } else if (c == '\n') {
      out.append("\\n");
      width += 2;
    } else if (c == '\t') {
      out.append("\\t");
      width += 2;
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append("\\x").push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
      width += 4;
    } else {
      out.push_back(ch);
      if ((c & 0xC0) != 0x80) ++width;  // count characters, not UTF-8 continuation bytes
    }
  }
  return width;
}

void Paint(std::string& out, bool color, std::string_view code) {
  if (color) out.append(code);
}

// One top-level member of the record: its key, and its value as text (a
// string unescaped; anything else as its JSON text, numbers exactly as
// written).
struct Member {
  std::string key;
  std::string text;
  bool is_string = false;
};

// Reads one JSON object's top-level members in order (RapidJSON SAX).
// Nested values are captured as compact JSON text.
class MemberReader : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, MemberReader> {
 public:
  std::vector<Member> members;

  bool Null() { return Scalar("null"); }
  bool Bool(bool b) { return Scalar(b ? "true" : "false"); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 1) return writer_.RawValue(s, n, rapidjson::kNumberType);
    return Scalar(std::string_view(s, n));
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 1) return writer_.String(s, n);
    if (depth_ != 1) return false;
    members.back().text.assign(s, n);
    members.back().is_string = true;
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ > 1) return writer_.Key(s, n);
    members.push_back(Member{std::string(s, n), {}, false});
    return true;
  }
  bool StartObject() { return Start(true); }
  bool EndObject(rapidjson::SizeType) { return End(true); }
  bool StartArray() { return Start(false); }
  bool EndArray(rapidjson::SizeType) { return End(false); }

 private:
  bool Scalar(std::string_view text) {
    if (depth_ > 1) return writer_.RawValue(text.data(), text.size(), rapidjson::kNullType);
    if (depth_ != 1) return false;  // the line is not an object
    members.back().text.assign(text);
    return true;
  }
  bool Start(bool object) {
    if (depth_ == 0 && !object) return false;
    if (depth_ >= 1) {
      if (depth_ == 1) {
        buffer_.Clear();
        writer_.Reset(buffer_);
      }
      if (!(object ? writer_.StartObject() : writer_.StartArray())) return false;
    }
    ++depth_;
    return true;
  }
  bool End(bool object) {
    --depth_;
    if (depth_ >= 1) {
      if (!(object ? writer_.EndObject() : writer_.EndArray())) return false;
      if (depth_ == 1) members.back().text.assign(buffer_.GetString(), buffer_.GetSize());
    }
    return true;
  }

  int depth_ = 0;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

// A value as key=value shows it: strings bare unless they need quotes
// (empty, spaces, '=', '"'), everything else as its JSON text.
void AppendValue(std::string& out, const Member& m) {
  const bool quote = m.is_string && (m.text.empty() || m.text.find_first_of(" =\"") != std::string::npos);
  if (quote) out.push_back('"');
  AppendVisible(out, m.text);
  if (quote) out.push_back('"');
}

}  // namespace

void RenderConsole(std::string_view json_line, bool color, OutBuffer& out) {
  MemberReader reader;
  rapidjson::Reader parser;
  rapidjson::MemoryStream stream(json_line.data(), json_line.size());
  const bool ok =
      parser.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseStopWhenDoneFlag>(
          stream, reader);
  std::string line;
  if (!ok) {
    AppendVisible(line, json_line);
    line.push_back('\n');
    out.Append(line);
    return;
  }
  auto find = [&reader](std::string_view key) -> const Member* {
    const Member* found = nullptr;  // the last duplicate wins, as in json.loads
    for (const Member& m : reader.members) {
      if (m.key == key && m.is_string) found = &m;
    }
    return found;
  };
  const Member* timestamp = find(fields::kTimestamp);
  const Member* level = find(fields::kLevel);
  const Member* event = find(fields::kEvent);
  const Member* logger = find(fields::kLogger);
  const Member* exception = find(fields::kException);
  // A key shown in its own place is left out of the key=value pairs; one of
  // an unexpected type (a number for event) stays there instead.
  std::vector<std::string_view> placed;
  bool after_event = event != nullptr;

  if (timestamp != nullptr) {
    Paint(line, color, kDim);
    AppendVisible(line, timestamp->text);
    Paint(line, color, kReset);
    line.push_back(' ');
    placed.push_back(fields::kTimestamp);
  }
  if (level != nullptr) {
    line.push_back('[');
    Paint(line, color, LevelColor(level->text));
    const size_t width = AppendVisible(line, level->text);
    Paint(line, color, kReset);
    line.append(kLevelWidth > width ? kLevelWidth - width : 0, ' ');
    line.append("] ");
    placed.push_back(fields::kLevel);
  }
  if (event != nullptr) {
    Paint(line, color, kBright);
    const size_t width = AppendVisible(line, event->text);
    Paint(line, color, kReset);
    line.append(kEventWidth > width ? kEventWidth - width : 0, ' ');
    placed.push_back(fields::kEvent);
  }
  if (logger != nullptr) {
    // One space after the padded event, as structlog joins its columns.
    if (after_event || (!line.empty() && line.back() != ' ')) line.push_back(' ');
    after_event = false;
    line.push_back('[');
    Paint(line, color, kBlue);
    Paint(line, color, kBright);
    AppendVisible(line, logger->text);
    Paint(line, color, kReset);
    line.push_back(']');
    placed.push_back(fields::kLogger);
  }
  if (exception != nullptr) placed.push_back(fields::kException);

  std::vector<const Member*> rest;
  for (const Member& m : reader.members) {
    if (std::find(placed.begin(), placed.end(), m.key) == placed.end()) rest.push_back(&m);
  }
  std::stable_sort(rest.begin(), rest.end(),
                   [](const Member* a, const Member* b) { return a->key < b->key; });
  for (const Member* m : rest) {
    if (after_event || (!line.empty() && line.back() != ' ')) line.push_back(' ');
    after_event = false;
    Paint(line, color, kCyan);
    AppendVisible(line, m->key);
    Paint(line, color, kReset);
    line.push_back('=');
    Paint(line, color, kMagenta);
    AppendValue(line, *m);
    Paint(line, color, kReset);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (exception != nullptr) {
    line.push_back('\n');
    Paint(line, color, kRed);
    AppendVisible(line, exception->text, /*keep_newlines=*/true);
    Paint(line, color, kReset);
  }
  line.push_back('\n');
  out.Append(line);
}

}  // namespace logchain
