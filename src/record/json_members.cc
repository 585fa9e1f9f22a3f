#include "record/json_members.h"

#include <cstddef>

namespace logchain {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (at_ < text_.size() && IsSpace(text_[at_])) ++at_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool Peek(char c) {
    SkipSpace();
    return at_ < text_.size() && text_[at_] == c;
  }
  size_t at() const { return at_; }

  // A string from its opening quote (at_) to after its closing quote.
  bool String() {
    if (at_ >= text_.size() || text_[at_] != '"') return false;
    for (++at_; at_ < text_.size(); ++at_) {
      if (text_[at_] == '\\') {
        ++at_;  // the escaped character, whatever it is
      } else if (text_[at_] == '"') {
        ++at_;
        return true;
      }
    }
    return false;
  }

  // Any value from at_: nested containers are skipped by counting brackets
  // outside strings, so depth costs nothing but a counter.
  bool Value() {
    SkipSpace();
    if (at_ >= text_.size()) return false;
    const char c = text_[at_];
    if (c == '"') return String();
    if (c == '{' || c == '[') {
      size_t depth = 0;
      while (at_ < text_.size()) {
        const char d = text_[at_];
        if (d == '"') {
          if (!String()) return false;
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          --depth;
          if (depth == 0) {
            ++at_;
            return true;
          }
        }
        ++at_;
      }
      return false;
    }
    const size_t start = at_;
    while (at_ < text_.size() && !IsSpace(text_[at_]) && text_[at_] != ',' &&
           text_[at_] != '}' && text_[at_] != ']') {
      ++at_;
    }
    return at_ > start;
  }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

bool SplitJsonMembers(std::string_view object, std::vector<JsonMemberSpan>* out) {
  out->clear();
  Scanner s(object);
  if (!s.Eat('{')) return false;
  if (s.Eat('}')) {
    s.SkipSpace();
    return s.at() == object.size();
  }
  while (true) {
    s.SkipSpace();
    const size_t key_start = s.at();
    if (!s.String()) break;
    const size_t key_end = s.at();
    if (!s.Eat(':')) break;
    s.SkipSpace();
    const size_t value_start = s.at();
    if (!s.Value()) break;
    out->push_back(JsonMemberSpan{object.substr(key_start, key_end - key_start),
                                  object.substr(value_start, s.at() - value_start)});
    if (s.Eat(',')) continue;
    if (!s.Eat('}')) break;
    s.SkipSpace();
    if (s.at() == object.size()) return true;
    break;
  }
  out->clear();
  return false;
}

}  // namespace logchain
