#include "processors/condition.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

// A record like the one an access line becomes after parse_request.
void Fill(Record& r) {
  r.Reset();
  r.Add("level", Value::String("info"));
  r.Add("host", Value::String("10.0.0.7"));
  r.Add("status", Value::Int(200));
  r.Add("size", Value::Int(14134));
  r.Add("path", Value::String("/metrics/workers"));
  r.Add("referer", Value::Null());
  r.Add("ratio", Value::Double(0.25));
  r.Add("big", Value::Number("123456789012345678901234567890"));
  r.Add("agent", Value::String("kube-probe/1.27 \"x\""));
}

struct Case {
  const char* condition;
  bool expected;
};

TEST(ConditionTest, EvaluatesEveryOperator) {
  Record r;
  Fill(r);
  const Case cases[] = {
      {"path == /metrics/workers", true},
      {"path==/metrics/workers", true},
      {"path == /metrics", false},
      {"path ^= /metrics", true},
      {"path $= workers", true},
      {"path *= rics/wo", true},
      {"path =~ '^/metrics/(workers|jobs)$'", true},
      {"path !~ ^/api", true},
      {"path != /metrics", true},
      {"status == 200", true},
      {"status == 200.0", true},
      {"status == '200'", true},
      {"status >= 400", false},
      {"status < 300", true},
      {"status ^= 2", true},
      {"size > 10000 and size <= 14134", true},
      {"ratio < 0.5", true},
      {"big > 1e20", true},
      {"referer == null", true},
      {"referer != null", false},
      {"level < warning", true},
      {"level >= info", true},
      {"level > info", false},
      {"missing == x", false},
      {"missing != x", true},
      {"missing !~ x", true},
      {"missing ^= x", false},
      {"missing < 3", false},
      {"missing exists", false},
      {"not missing exists", true},
      {"host exists", true},
      {"agent *= \"\\\"x\\\"\"", true},
      {"status == 404 or path ^= /metrics", true},
      {"status == 404 || path ^= /metrics", true},
      {"status==404||path^=/metrics", true},
      {"status == 200 and path == /x or level == info", true},
      {"status == 200 and (path == /x or level == debug)", false},
      {"status == 200 && not (path == /x)", true},
      {"host < 5", false},  // not a number: false, never an error
  };
  for (const Case& c : cases) {
    std::string error;
    std::unique_ptr<Condition> condition = Condition::Compile(c.condition, &error);
    ASSERT_NE(nullptr, condition) << c.condition << ": " << error;
    EXPECT_EQ(c.expected, condition->Matches(r)) << c.condition;
  }
}

TEST(ConditionTest, JsonLineMembersAreSeen) {
  Record r;
  r.Reset();
  r.AddJsonMember("status", Value::Number("503"));
  r.AddJsonMember("level", Value::String("error"));
  std::string error;
  auto condition = Condition::Compile("status >= 500 and level >= error", &error);
  ASSERT_NE(nullptr, condition) << error;
  EXPECT_TRUE(condition->Matches(r));
}

TEST(ConditionTest, MistakesNameTheColumn) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "at column 1: expected a comparison"},
      {"path", "at column 5: expected an operator after 'path'"},
      {"path ==", "at column 8: expected a value"},
      {"path == /x and", "at column 15: expected a comparison"},
      {"status > many", "at column 10: 'many' is not a number"},
      {"level < loud", "at column 9: 'loud' is not a level"},
      {"path =~ '(a'", "at column 9: RE2 cannot compile"},
      {"path =~ '(?=x)'", "at column 9: RE2 cannot compile"},
      {"path == 'x", "the value has no closing '"},
      {"(path == x", "expected ')'"},
      {"path == x y", "at column 11: unexpected text"},
      {"== x", "at column 1: expected a field name"},
  };
  for (const auto& [text, message] : cases) {
    std::string error;
    EXPECT_EQ(nullptr, Condition::Compile(text, &error)) << text;
    EXPECT_NE(std::string::npos, error.find(message)) << text << " -> " << error;
  }
}

TEST(ConditionTest, LevelSeverityOrder) {
  EXPECT_LT(LevelSeverity("debug"), LevelSeverity("info"));
  EXPECT_LT(LevelSeverity("info"), LevelSeverity("warning"));
  EXPECT_EQ(LevelSeverity("warning"), LevelSeverity("warn"));
  EXPECT_LT(LevelSeverity("error"), LevelSeverity("critical"));
  EXPECT_EQ(-1, LevelSeverity("INFO"));
}

}  // namespace
}  // namespace logchain
