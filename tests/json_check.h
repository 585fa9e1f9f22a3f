// An independent check of logchain's output: RapidJSON (not logchain's own
// writer or reader) decides whether a line is one valid JSON object.
#ifndef LOGCHAIN_TESTS_JSON_CHECK_H_
#define LOGCHAIN_TESTS_JSON_CHECK_H_

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <string_view>

namespace logchain::testing {

/// Empty when line is exactly one JSON object in valid UTF-8; else why not.
inline std::string JsonObjectProblem(std::string_view line) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag |
            rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (doc.HasParseError()) {
    return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at " +
           std::to_string(doc.GetErrorOffset());
  }
  if (!doc.IsObject()) return "not an object";
  return {};
}

}  // namespace logchain::testing

#endif  // LOGCHAIN_TESTS_JSON_CHECK_H_
