#include "processors/condition.h"

#include <re2/re2.h>

#include <charconv>
#include <vector>

namespace logchain {

struct Condition::Node {
  enum class Kind { kOr, kAnd, kNot, kExists, kCompare };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kPrefix, kSuffix, kContains, kMatch, kNoMatch };
  Kind kind = Kind::kCompare;
  std::vector<std::unique_ptr<Node>> children;
  std::string field;
  Op op = Op::kEq;
  std::string value;
  bool value_is_number = false;
  double number = 0;
  int severity = -1;
  std::unique_ptr<re2::RE2> regex;
};

namespace {

using Node = Condition::Node;

bool ParseDouble(std::string_view text, double* out) {
  if (text.empty()) return false;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  std::unique_ptr<Node> Parse(std::string* error) {
    std::unique_ptr<Node> root = Or();
    if (root != nullptr) {
      SkipSpace();
      if (pos_ < text_.size()) Fail("unexpected text; join conditions with 'and' or 'or'");
    }
    if (!error_.empty()) {
      *error = error_;
      return nullptr;
    }
    return root;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  void Fail(std::string what) {
    if (error_.empty()) error_ = "at column " + std::to_string(pos_ + 1) + ": " + what;
  }
  // The bare word at pos_ (not consumed): up to whitespace or a parenthesis.
  std::string_view PeekWord() {
    SkipSpace();
    size_t end = pos_;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != '\t' && text_[end] != '(' &&
           text_[end] != ')' && text_.substr(end, 2) != "||" && text_.substr(end, 2) != "&&") {
      ++end;
    }
    return text_.substr(pos_, end - pos_);
  }
  // A keyword; "or" and "and" may also be written "||" and "&&".
  bool Keyword(std::string_view word) {
    SkipSpace();
    const std::string_view symbol = word == "or" ? "||" : word == "and" ? "&&" : "";
    if (!symbol.empty() && text_.substr(pos_, 2) == symbol) {
      pos_ += 2;
      return true;
    }
    if (PeekWord() != word) return false;
    pos_ += word.size();
    return true;
  }

  std::unique_ptr<Node> Or() {
    std::unique_ptr<Node> left = And();
    while (left != nullptr && Keyword("or")) {
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kOr;
      node->children.push_back(std::move(left));
      std::unique_ptr<Node> right = And();
      if (right == nullptr) return nullptr;
      node->children.push_back(std::move(right));
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Node> And() {
    std::unique_ptr<Node> left = Factor();
    while (left != nullptr && Keyword("and")) {
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kAnd;
      node->children.push_back(std::move(left));
      std::unique_ptr<Node> right = Factor();
      if (right == nullptr) return nullptr;
      node->children.push_back(std::move(right));
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Node> Factor() {
    SkipSpace();
    if (pos_ >= text_.size()) {
      Fail("expected a comparison such as: path == /healthz");
      return nullptr;
    }
    if (Keyword("not")) {
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::kNot;
      std::unique_ptr<Node> inner = Factor();
      if (inner == nullptr) return nullptr;
      node->children.push_back(std::move(inner));
      return node;
    }
    if (text_[pos_] == '(') {
      ++pos_;
      std::unique_ptr<Node> inner = Or();
      if (inner == nullptr) return nullptr;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') {
        Fail("expected ')'");
        return nullptr;
      }
      ++pos_;
      return inner;
    }
    return Comparison();
  }

  std::unique_ptr<Node> Comparison() {
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '@' ||
                             c == '-';
      if (!name_char) break;
      ++pos_;
    }
    if (pos_ == start) {
      Fail("expected a field name (letters, digits, _ . @ -)");
      return nullptr;
    }
    auto node = std::make_unique<Node>();
    node->field = std::string(text_.substr(start, pos_ - start));
    if (node->field == "and" || node->field == "or") {
      pos_ = start;
      Fail("expected a comparison before '" + node->field + "'");
      return nullptr;
    }
    if (Keyword("exists")) {
      node->kind = Node::Kind::kExists;
      return node;
    }
    SkipSpace();
    static constexpr std::pair<std::string_view, Node::Op> kOps[] = {
        {"==", Node::Op::kEq},       {"!=", Node::Op::kNe},     {"<=", Node::Op::kLe},
        {">=", Node::Op::kGe},       {"^=", Node::Op::kPrefix}, {"$=", Node::Op::kSuffix},
        {"*=", Node::Op::kContains}, {"=~", Node::Op::kMatch},  {"!~", Node::Op::kNoMatch},
        {"<", Node::Op::kLt},        {">", Node::Op::kGt},
    };
    bool found = false;
    for (const auto& [spelling, op] : kOps) {
      if (text_.substr(pos_, spelling.size()) == spelling) {
        node->op = op;
        pos_ += spelling.size();
        found = true;
        break;
      }
    }
    if (!found) {
      Fail("expected an operator after '" + node->field +
           "': == != < <= > >= ^= $= *= =~ !~ or exists");
      return nullptr;
    }
    SkipSpace();
    const size_t value_column = pos_;
    if (!ParseValue(&node->value)) return nullptr;

    const bool ordering = node->op == Node::Op::kLt || node->op == Node::Op::kLe ||
                          node->op == Node::Op::kGt || node->op == Node::Op::kGe;
    node->value_is_number = ParseDouble(node->value, &node->number);
    if (ordering && node->field == "level") {
      node->severity = LevelSeverity(node->value);
      if (node->severity < 0) {
        pos_ = value_column;
        Fail("'" + node->value +
             "' is not a level: use debug, info, warning, error or critical");
        return nullptr;
      }
    } else if (ordering && !node->value_is_number) {
      pos_ = value_column;
      Fail("'" + node->value + "' is not a number; < <= > >= compare numbers (and levels)");
      return nullptr;
    }
    if (node->op == Node::Op::kMatch || node->op == Node::Op::kNoMatch) {
      re2::RE2::Options options;
      options.set_log_errors(false);
      node->regex = std::make_unique<re2::RE2>(node->value, options);
      if (!node->regex->ok()) {
        pos_ = value_column;
        Fail("RE2 cannot compile '" + node->value + "': " + node->regex->error());
        return nullptr;
      }
    }
    return node;
  }

  bool ParseValue(std::string* out) {
    if (pos_ >= text_.size()) {
      Fail("expected a value");
      return false;
    }
    const char quote = text_[pos_];
    if (quote == '"' || quote == '\'') {
      ++pos_;
      while (pos_ < text_.size() && text_[pos_] != quote) {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        out->push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) {
        Fail(std::string("the value has no closing ") + quote);
        return false;
      }
      ++pos_;
      return true;
    }
    const std::string_view word = PeekWord();
    if (word.empty() || word == "and" || word == "or") {
      Fail("expected a value");
      return false;
    }
    out->assign(word);
    pos_ += word.size();
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

bool FieldNumber(const Value& v, double* out) {
  switch (v.kind) {
    case ValueKind::kInt:
      *out = static_cast<double>(v.int_value);
      return true;
    case ValueKind::kDouble:
      *out = v.double_value;
      return true;
    case ValueKind::kNumber:
    case ValueKind::kString:
      return ParseDouble(v.text, out);
    default:
      return false;
  }
}

// The text string operators look at: a string's text, a number's digits.
std::string_view FieldText(const Value& v, char* buf, size_t size) {
  switch (v.kind) {
    case ValueKind::kString:
    case ValueKind::kNumber:
      return v.text;
    case ValueKind::kInt: {
      auto [ptr, ec] = std::to_chars(buf, buf + size, v.int_value);
      return ec == std::errc() ? std::string_view(buf, static_cast<size_t>(ptr - buf))
                               : std::string_view();
    }
    default:
      return {};
  }
}

bool Equal(const Node& n, const Value& v) {
  switch (v.kind) {
    case ValueKind::kNull:
      return n.value == "null";
    case ValueKind::kBool:
      return n.value == (v.bool_value ? "true" : "false");
    case ValueKind::kString:
      return v.text == n.value;
    case ValueKind::kInt:
    case ValueKind::kDouble:
    case ValueKind::kNumber: {
      double d = 0;
      return n.value_is_number && FieldNumber(v, &d) && d == n.number;
    }
    case ValueKind::kComposite:
      return false;
  }
  return false;
}

bool Compare(const Node& n, const Value* v) {
  if (n.op == Node::Op::kNe) return v == nullptr || !Equal(n, *v);
  if (n.op == Node::Op::kNoMatch) {
    char buf[32];
    if (v == nullptr) return true;
    const std::string_view text = FieldText(*v, buf, sizeof buf);
    return (v->kind != ValueKind::kString && text.empty()) ||
           !re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *n.regex);
  }
  if (v == nullptr) return false;
  switch (n.op) {
    case Node::Op::kEq:
      return Equal(n, *v);
    case Node::Op::kLt:
    case Node::Op::kLe:
    case Node::Op::kGt:
    case Node::Op::kGe: {
      double left = 0;
      double right = n.number;
      if (n.severity >= 0) {
        if (!v->is_string()) return false;
        const int s = LevelSeverity(v->text);
        if (s < 0) return false;
        left = s;
        right = n.severity;
      } else if (!FieldNumber(*v, &left)) {
        return false;
      }
      switch (n.op) {
        case Node::Op::kLt:
          return left < right;
        case Node::Op::kLe:
          return left <= right;
        case Node::Op::kGt:
          return left > right;
        default:
          return left >= right;
      }
    }
    default:
      break;
  }
  char buf[32];
  if (v->kind != ValueKind::kString && v->kind != ValueKind::kNumber &&
      v->kind != ValueKind::kInt) {
    return false;
  }
  const std::string_view text = FieldText(*v, buf, sizeof buf);
  switch (n.op) {
    case Node::Op::kPrefix:
      return text.starts_with(n.value);
    case Node::Op::kSuffix:
      return text.ends_with(n.value);
    case Node::Op::kContains:
      return text.find(n.value) != std::string_view::npos;
    case Node::Op::kMatch:
      return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *n.regex);
    default:
      return false;
  }
}

bool Evaluate(const Node& n, const Record& record) {
  switch (n.kind) {
    case Node::Kind::kOr:
      return Evaluate(*n.children[0], record) || Evaluate(*n.children[1], record);
    case Node::Kind::kAnd:
      return Evaluate(*n.children[0], record) && Evaluate(*n.children[1], record);
    case Node::Kind::kNot:
      return !Evaluate(*n.children[0], record);
    case Node::Kind::kExists:
      return record.Has(n.field);
    case Node::Kind::kCompare:
      return Compare(n, record.Find(n.field));
  }
  return false;
}

}  // namespace

int LevelSeverity(std::string_view level) {
  static constexpr std::pair<std::string_view, int> kLevels[] = {
      {"notset", 0},   {"debug", 10},    {"info", 20},     {"warning", 30}, {"warn", 30},
      {"error", 40},   {"exception", 40}, {"critical", 50}, {"fatal", 50},
  };
  for (const auto& [name, severity] : kLevels) {
    if (name == level) return severity;
  }
  return -1;
}

Condition::Condition(std::unique_ptr<Node> root) : root_(std::move(root)) {}
Condition::~Condition() = default;

std::unique_ptr<Condition> Condition::Compile(std::string_view text, std::string* error) {
  Parser parser(text);
  std::unique_ptr<Node> root = parser.Parse(error);
  if (root == nullptr) return nullptr;
  return std::unique_ptr<Condition>(new Condition(std::move(root)));
}

bool Condition::Matches(const Record& record) const noexcept {
  return Evaluate(*root_, record);
}

namespace {

class ConditionFilter final : public Processor {
 public:
  ConditionFilter(FilterSense sense, std::unique_ptr<Condition> condition)
      : drop_on_match_(sense == FilterSense::kDropMatches), condition_(std::move(condition)) {}
  Outcome Process(Record& record) noexcept override {
    return condition_->Matches(record) == drop_on_match_ ? Outcome::kDropped
                                                         : Outcome::kNotApplicable;
  }

 private:
  const bool drop_on_match_;
  std::unique_ptr<Condition> condition_;
};

}  // namespace

std::unique_ptr<Processor> CreateConditionFilter(FilterSense sense, std::string_view example,
                                                 const ProcessorDescriptor& self,
                                                 const OptionValues& options,
                                                 std::string_view where,
                                                 Diagnostics& diagnostics) {
  const std::string_view text = options.Text("when");
  const std::string option = std::string(self.name) + ".when";
  if (text.empty()) {
    diagnostics.Error(std::string(where), std::string(self.name) + " needs a condition",
                      "e.g. --set '" + option + "=" + std::string(example) + "'");
    return nullptr;
  }
  std::string error;
  std::unique_ptr<Condition> condition = Condition::Compile(text, &error);
  if (condition == nullptr) {
    diagnostics.Error(std::string(where), option + ": " + error,
                      "logchain --describe drop_where shows the condition syntax");
    return nullptr;
  }
  return std::make_unique<ConditionFilter>(sense, std::move(condition));
}

}  // namespace logchain
