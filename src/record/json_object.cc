#include "record/json_object.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <simdjson.h>

#include <cstring>

#include "record/utf8.h"

namespace logchain {
namespace {

static_assert(JsonObjectDecoder::kPadding >= simdjson::SIMDJSON_PADDING);

// The object's text within the line: from the first '{' to the last '}'.
std::string_view ObjectText(std::string_view text) {
  const size_t open = text.find('{');
  const size_t close = text.rfind('}');
  return text.substr(open, close - open + 1);
}

// Collects the top-level members of the root object from RapidJSON's SAX
// events; member text is copied into the record's arena because RapidJSON's
// buffers are gone after each callback.
class MemberCollector : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, MemberCollector> {
 public:
  explicit MemberCollector(Record& record) : record_(record) {}

  bool root_is_object() const { return root_is_object_; }
  size_t members() const { return members_; }

  bool Null() { return Scalar(Value::Null()); }
  bool Bool(bool b) { return Scalar(Value::Bool(b)); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return Scalar(depth_ == 1 ? Value::Number(Copy(s, n)) : Value{});
  }
  // RapidJSON decodes an unpaired low surrogate escape ("\udc00") into bytes
  // that are not UTF-8, where simdjson refuses the document: refuse it here
  // too, so that such a line is a text line whichever parser reads it.
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!IsValidUtf8({s, n})) return false;
    return Scalar(depth_ == 1 ? Value::String(Copy(s, n)) : Value{});
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (!IsValidUtf8({s, n})) return false;
    if (depth_ == 1) key_ = Copy(s, n);
    return true;
  }
  bool StartObject() { return Open(true); }
  bool StartArray() { return Open(false); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

 private:
  std::string_view Copy(const char* s, size_t n) { return record_.arena().Copy({s, n}); }

  bool Scalar(const Value& v) {
    if (depth_ == 0) return true;  // a scalar root: not an object, caught below
    if (depth_ == 1) Member(v);
    return true;
  }
  bool Open(bool object) {
    if (depth_ == 0) root_is_object_ = object;
    if (depth_ == 1) Member(Value::Composite());
    return ++depth_ <= JsonObjectDecoder::kMaxDepth;
  }
  bool Close() {
    --depth_;
    return true;
  }
  void Member(const Value& v) {
    record_.AddJsonMember(key_, v);
    ++members_;
  }

  Record& record_;
  size_t depth_ = 0;
  size_t members_ = 0;
  bool root_is_object_ = false;
  std::string_view key_;
};

}  // namespace

struct JsonObjectDecoder::Impl {
  simdjson::dom::parser parser{kLargeDocument};

  bool DecodeWithSimdjson(std::string_view text, bool padded, Record& record,
                          simdjson::error_code* error) {
    simdjson::dom::element root;
    *error = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
    if (*error != simdjson::SUCCESS) return false;
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) return false;
    bool empty = true;
    for (simdjson::dom::key_value_pair member : object) {
      empty = false;
      Value v;
      switch (member.value.type()) {
        case simdjson::dom::element_type::STRING:
          v = Value::String(member.value.get_string().value_unsafe());
          break;
        case simdjson::dom::element_type::INT64:
          v = Value::Int(member.value.get_int64().value_unsafe());
          break;
        case simdjson::dom::element_type::UINT64:
          v = Value::Double(static_cast<double>(member.value.get_uint64().value_unsafe()));
          break;
        case simdjson::dom::element_type::DOUBLE:
          v = Value::Double(member.value.get_double().value_unsafe());
          break;
        case simdjson::dom::element_type::BOOL:
          v = Value::Bool(member.value.get_bool().value_unsafe());
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          v = Value::Null();
          break;
        default:
          v = Value::Composite();
      }
      record.AddJsonMember(member.key, v);
    }
    record.SetJson(ObjectText(text), empty);
    return true;
  }

  bool DecodeWithRapidjson(std::string_view text, Record& record) {
    // Valid JSON never contains a raw NUL byte, and RapidJSON's streams treat
    // NUL as the end of input; refusing it up front keeps the two in step.
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) return false;
    rapidjson::MemoryStream stream(text.data(), text.size());
    MemberCollector collector(record);
    rapidjson::Reader reader;
    constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                                rapidjson::kParseNumbersAsStringsFlag |
                                rapidjson::kParseIterativeFlag;
    const bool ok = !reader.Parse<kFlags>(stream, collector).IsError() &&
                    stream.Tell() == text.size() && collector.root_is_object();
    if (!ok) return false;
    record.SetJson(ObjectText(text), collector.members() == 0);
    return true;
  }
};

JsonObjectDecoder::JsonObjectDecoder() : impl_(std::make_unique<Impl>()) {}
JsonObjectDecoder::~JsonObjectDecoder() = default;

bool JsonObjectDecoder::Decode(std::string_view text, bool padded, Record& record) {
  if (text.size() < kLargeDocument) {
    simdjson::error_code error = simdjson::SUCCESS;
    if (impl_->DecodeWithSimdjson(text, padded, record, &error)) return true;
    const bool refused_valid_number =
        error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE;
    if (!refused_valid_number) {
      return false;
    }
  }
  if (impl_->DecodeWithRapidjson(text, record)) return true;
  // The reader may have collected members before it found the error.
  record.ClearJsonMembers();
  return false;
}

}  // namespace logchain
