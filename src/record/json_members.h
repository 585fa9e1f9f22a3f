// Where each top-level member of a JSON object line sits in its text.
//
// The JSON renderer writes a JSON object line as its original text. When a
// processor changes a member's value (redact_fields), or a field schema
// renames members, the renderer needs the byte range of each member's key
// and value so that everything else is copied unchanged. The decoder has
// already validated the object (record/json_object.h); this scanner only
// finds boundaries, in one pass, without allocating beyond the result.
#ifndef LOGCHAIN_RECORD_JSON_MEMBERS_H_
#define LOGCHAIN_RECORD_JSON_MEMBERS_H_

#include <string_view>
#include <vector>

namespace logchain {

struct JsonMemberSpan {
  std::string_view key;    // the key as written, quotes included
  std::string_view value;  // the value as written: a string with its quotes, a
                           // number or literal, or a whole nested object/array
};

/// Splits `object` (from its '{' to its '}') into its top-level members, in
/// document order, duplicates included: the i-th span is the member the
/// decoder collected i-th (Record::json_members()). Returns false, with
/// `out` cleared, when the text is not a well-formed object; views point
/// into `object`.
bool SplitJsonMembers(std::string_view object, std::vector<JsonMemberSpan>* out);

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_JSON_MEMBERS_H_
