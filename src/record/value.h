// Value: one typed field value of a Record.
//
// Text values are views (into the line, the record's arena, a JSON decoder's
// string buffer, or static storage); a Value never owns memory. All text
// handed to a Value is valid UTF-8: the line decoder sanitises invalid input
// before any processor sees it.
#ifndef LOGCHAIN_RECORD_VALUE_H_
#define LOGCHAIN_RECORD_VALUE_H_

#include <cstdint>
#include <string_view>

namespace logchain {

enum class ValueKind : uint8_t {
  kNull,
  kBool,
  kInt,        // int_value
  kDouble,     // double_value, rendered as Python's repr() would
  kString,     // text, unescaped UTF-8; rendered as a JSON string
  kNumber,     // text holds a JSON number literal verbatim (big integers keep every digit)
  kComposite,  // an object or array from a JSON line; text holds nothing
};

struct Value {
  ValueKind kind = ValueKind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  double double_value = 0;
  std::string_view text;

  static Value Null() { return {}; }
  static Value Bool(bool b) {
    Value v;
    v.kind = ValueKind::kBool;
    v.bool_value = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind = ValueKind::kInt;
    v.int_value = i;
    return v;
  }
  static Value Double(double d) {
    Value v;
    v.kind = ValueKind::kDouble;
    v.double_value = d;
    return v;
  }
  static Value String(std::string_view s) {
    Value v;
    v.kind = ValueKind::kString;
    v.text = s;
    return v;
  }
  static Value Number(std::string_view literal) {
    Value v;
    v.kind = ValueKind::kNumber;
    v.text = literal;
    return v;
  }
  static Value Composite() {
    Value v;
    v.kind = ValueKind::kComposite;
    return v;
  }

  bool is_string() const { return kind == ValueKind::kString; }
};

/// A named value: one member of a record, or of a JSON line's object.
struct Field {
  std::string_view key;
  Value value;
};

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_VALUE_H_
