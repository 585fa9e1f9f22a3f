#include "record/record.h"

#include <gtest/gtest.h>

#include <string>

#include "record/fields.h"

namespace logchain {
namespace {

// The names record/fields.h gives as Keys know which KnownKey they are.
static_assert(fields::kLevel.known == fields::kKnownLevel);
static_assert(fields::kStatus.known == fields::kKnownStatus);
static_assert(fields::kRequestTimeMs.known == fields::kKnownRequestTimeMs);
static_assert(fields::kHost.known == -1 && fields::kPattern.known == -1);

int64_t IntOf(const Value* v) { return v == nullptr ? -1 : v->int_value; }

TEST(RecordTest, KnownKeysAreFoundWhicheverWayTheyWereAdded) {
  Record record;
  const std::string status = "status";  // not a constant: classified when added
  record.Add(fields::kEvent, Value::String("e"));
  record.Add(status, Value::Int(200));
  record.Add("size", Value::Int(10));
  record.Add(fields::kHost, Value::String("h"));
  EXPECT_EQ(200, IntOf(record.FindKnownField(fields::kKnownStatus)));
  EXPECT_EQ(10, IntOf(record.Find(fields::kSize)));
  EXPECT_EQ(10, IntOf(record.Find(std::string_view("size"))));
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownLevel));
  EXPECT_EQ(nullptr, record.Find(fields::kLevel));
  EXPECT_TRUE(record.Has(fields::kHost));
  ASSERT_NE(nullptr, record.FindString(fields::kEvent));
  EXPECT_EQ("e", *record.FindString(fields::kEvent));
}

TEST(RecordTest, TheLastDuplicateWins) {
  Record record;
  record.Add(fields::kStatus, Value::Int(1));
  record.Add(std::string_view("status"), Value::Int(2));
  EXPECT_EQ(2, IntOf(record.FindKnownField(fields::kKnownStatus)));
  EXPECT_EQ(2, IntOf(record.Find(fields::kStatus)));
}

TEST(RecordTest, RemovingAndRenamingKeepThePositionsRight) {
  Record record;
  record.Add(fields::kEvent, Value::Int(0));
  record.Add(fields::kLevel, Value::Int(1));
  record.Add(fields::kStatus, Value::Int(2));
  record.Add(fields::kSize, Value::Int(3));
  // The fields after `level` move down one place.
  ASSERT_TRUE(record.RemoveField(fields::kLevel));
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownLevel));
  EXPECT_EQ(2, IntOf(record.FindKnownField(fields::kKnownStatus)));
  EXPECT_EQ(3, IntOf(record.FindKnownField(fields::kKnownSize)));

  ASSERT_TRUE(record.RenameField("status", "code"));
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownStatus));
  EXPECT_EQ(2, IntOf(record.Find(std::string_view("code"))));
  // Renaming onto a known key removes the field that had it.
  ASSERT_TRUE(record.RenameField("code", "size"));
  EXPECT_EQ(2, IntOf(record.FindKnownField(fields::kKnownSize)));
  EXPECT_EQ(2u, record.fields().size());
}

TEST(RecordTest, AppendedFieldsComeBeforeTheLinesOwnMembers) {
  Record record;
  record.SetJson(R"({"level": "warning", "status": 500})", false);
  record.AddJsonMember("level", Value::String("warning"));
  record.AddJsonMember("status", Value::Int(500));
  // Members are not fields: only Find() sees them.
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownStatus));
  EXPECT_EQ(500, IntOf(record.Find(fields::kStatus)));
  ASSERT_NE(nullptr, record.FindString(fields::kLevel));
  EXPECT_EQ("warning", *record.FindString(fields::kLevel));
  record.Add(fields::kStatus, Value::Int(200));
  EXPECT_EQ(200, IntOf(record.Find(fields::kStatus)));
}

TEST(RecordTest, ResetForgetsThePositions) {
  Record record;
  record.Add(fields::kStatus, Value::Int(1));
  record.Reset();
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownStatus));
  EXPECT_EQ(nullptr, record.Find(fields::kStatus));
  record.Add(fields::kEvent, Value::Int(5));
  EXPECT_EQ(nullptr, record.FindKnownField(fields::kKnownStatus));
  EXPECT_EQ(5, IntOf(record.FindKnownField(fields::kKnownEvent)));
}

}  // namespace
}  // namespace logchain
