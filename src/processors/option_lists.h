// Option lists: the comma-separated lists and pairs that processors such as
// add_fields, rename_fields, remove_fields and redact take in one option
// ("a,b,c", "key=value,key2=value2", "old:new").
#ifndef LOGCHAIN_PROCESSORS_OPTION_LISTS_H_
#define LOGCHAIN_PROCESSORS_OPTION_LISTS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logchain {

/// Splits text at commas ("\," is a literal comma, "\\" a backslash) and
/// trims spaces around each item; empty items are dropped.
std::vector<std::string> SplitList(std::string_view text);

/// Splits each item of SplitList(text) at its first `separator` into a
/// non-empty name and a value (trimmed). Returns false and sets *error
/// (naming the item) when an item has no separator or an empty name.
bool SplitPairs(std::string_view text, char separator,
                std::vector<std::pair<std::string, std::string>>* pairs, std::string* error);

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_OPTION_LISTS_H_
