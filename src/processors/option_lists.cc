#include "processors/option_lists.h"

namespace logchain {
namespace {

std::string Trim(std::string s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == ',' || text[i + 1] == '\\')) {
      current.push_back(text[++i]);
    } else if (c == ',') {
      std::string item = Trim(std::move(current));
      if (!item.empty()) items.push_back(std::move(item));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  std::string item = Trim(std::move(current));
  if (!item.empty()) items.push_back(std::move(item));
  return items;
}

bool SplitPairs(std::string_view text, char separator,
                std::vector<std::pair<std::string, std::string>>* pairs, std::string* error) {
  for (const std::string& item : SplitList(text)) {
    const size_t at = item.find(separator);
    if (at == std::string::npos || at == 0) {
      *error = "'" + item + "' is not NAME" + separator + "VALUE";
      return false;
    }
    pairs->emplace_back(Trim(item.substr(0, at)), Trim(item.substr(at + 1)));
    if (pairs->back().first.empty()) {
      *error = "'" + item + "' has an empty name";
      return false;
    }
  }
  return true;
}

}  // namespace logchain
