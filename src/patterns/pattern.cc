#include "patterns/pattern.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "record/line_decoder.h"
#include "record/utf8.h"

namespace logchain {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Pattern::Pattern(std::string name, std::string regex, std::vector<FieldSpec> fields)
    : name_(std::move(name)), regex_(std::move(regex)) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(32 << 20);
  re_ = std::make_unique<re2::RE2>(regex_, options);
  if (!re_->ok()) {
    error_ = re_->error();
    return;
  }
  groups_ = re_->NumberOfCapturingGroups();
  // Named groups in the order they appear.
  std::vector<std::pair<int, std::string>> named;
  for (const auto& [group_name, index] : re_->NamedCapturingGroups()) {
    named.emplace_back(index, group_name);
  }
  std::sort(named.begin(), named.end());
  for (const auto& [index, group_name] : named) {
    FieldSpec spec;
    spec.name = group_name;
    for (const FieldSpec& f : fields) {
      if (f.name == group_name) spec = f;
    }
    specs_.push_back(spec);
    group_index_.push_back(index);
  }
  // A type declared for a group the regex does not have is a typo the user
  // must hear about, not a silently untyped field.
  for (const FieldSpec& f : fields) {
    if (re_->NamedCapturingGroups().count(f.name) == 0) {
      error_ = "a type is declared for '" + f.name + "' but there is no group (?P<" + f.name +
               ">...)";
      return;
    }
  }
}

Pattern::~Pattern() = default;

bool Pattern::ok() const { return error_.empty(); }
std::string Pattern::error() const { return error_; }

bool Pattern::Match(std::string_view text, Arena& arena, bool decode,
                    std::vector<MatchedField>* out) const {
  out->clear();
  re2::StringPiece groups[64];
  std::vector<re2::StringPiece> many;
  re2::StringPiece* g = groups;
  const int n = groups_ + 1;
  if (n > 64) {
    many.resize(static_cast<size_t>(n));
    g = many.data();
  }
  if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                  re2::RE2::ANCHOR_BOTH, g, n)) {
    return false;
  }
  for (size_t i = 0; i < specs_.size(); ++i) {
    const re2::StringPiece& piece = g[group_index_[i]];
    if (piece.data() == nullptr) continue;  // an optional group that did not take part
    Value value;
    if (!ConvertField(specs_[i], std::string_view(piece.data(), piece.size()), arena, decode,
                      &value)) {
      return false;
    }
    out->push_back(MatchedField{specs_[i].name, value});
  }
  return true;
}

bool ConvertField(const FieldSpec& spec, std::string_view text, Arena& arena, bool decode,
                  Value* out) {
  if (text == "-" && spec.dash != FieldSpec::Dash::kKeep) {
    *out = spec.dash == FieldSpec::Dash::kNull ? Value::Null() : Value::Int(0);
    return true;
  }
  if (text.empty() && spec.empty_is_null) {
    *out = Value::Null();
    return true;
  }
  switch (spec.type) {
    case FieldSpec::Type::kString:
      *out = Value::String(decode ? Unescape(text, spec.escapes, arena) : text);
      return true;
    case FieldSpec::Type::kLevel: {
      // klog's one-letter levels and syslog-style short names, as structlog spells them.
      static constexpr std::pair<std::string_view, std::string_view> kShort[] = {
          {"I", "info"},  {"W", "warning"}, {"E", "error"},    {"F", "critical"},
          {"D", "debug"}, {"crit", "critical"}, {"err", "error"}, {"emerg", "critical"},
          {"alert", "critical"},
      };
      for (const auto& [from, to] : kShort) {
        if (text == from) {
          *out = Value::String(to);
          return true;
        }
      }
      *out = Value::String(LevelFromName(text, arena));
      return true;
    }
    case FieldSpec::Type::kInt: {
      std::string_view digits = text;
      const bool negative = !digits.empty() && digits[0] == '-';
      if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
      std::string_view magnitude = negative ? digits.substr(1) : digits;
      if (magnitude.empty()) return false;
      for (const char c : magnitude) {
        if (c < '0' || c > '9') return false;
      }
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec == std::errc() && ptr == digits.data() + digits.size()) {
        *out = Value::Int(v);
        return true;
      }
      // Beyond 64 bits: keep every digit as a JSON number literal, which
      // allows no leading zeros.
      while (magnitude.size() > 1 && magnitude[0] == '0') magnitude.remove_prefix(1);
      if (!negative) {
        *out = Value::Number(magnitude);
        return true;
      }
      char* literal = arena.Allocate(magnitude.size() + 1);
      literal[0] = '-';
      std::copy(magnitude.begin(), magnitude.end(), literal + 1);
      *out = Value::Number(std::string_view(literal, magnitude.size() + 1));
      return true;
    }
    case FieldSpec::Type::kFloat:
    case FieldSpec::Type::kDuration: {
      double d = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return false;
      if (spec.type == FieldSpec::Type::kDuration) d *= spec.scale;
      if (!std::isfinite(d)) return false;  // "inf", "nan", overflow: JSON has no such number
      *out = Value::Double(d);
      return true;
    }
  }
  return false;
}

std::string_view Unescape(std::string_view text, FieldSpec::Escapes escapes, Arena& arena) {
  if (escapes == FieldSpec::Escapes::kNone || text.find('\\') == std::string_view::npos) {
    return text;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\\' || i + 1 >= text.size()) {
      out.push_back(c);
      continue;
    }
    const char next = text[i + 1];
    if (next == 'x' && i + 3 < text.size() && HexValue(text[i + 2]) >= 0 &&
        HexValue(text[i + 3]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 2]) * 16 + HexValue(text[i + 3])));
      i += 3;
      continue;
    }
    if (escapes != FieldSpec::Escapes::kNginx) {
      const char* simple = nullptr;
      switch (next) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case 'n': simple = "\n"; break;
        case 't': simple = "\t"; break;
        case 'r': simple = "\r"; break;
        default: break;
      }
      if (simple != nullptr) {
        out.append(simple);
        ++i;
        continue;
      }
    }
    out.push_back(c);
  }
  if (!IsValidUtf8(out)) return SanitizeUtf8(out, arena);
  return arena.Copy(out);
}

}  // namespace logchain
