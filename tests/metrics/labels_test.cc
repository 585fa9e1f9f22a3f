#include "metrics/labels.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace logchain::metrics {
namespace {

TEST(LabelsTest, MethodsAreAFixedSetPlusOther) {
  for (std::string_view m : kMethods) EXPECT_EQ(m, MethodLabel(MethodSlot(m)));
  // Methods are case-sensitive; anything else is one series, whatever arrives.
  for (std::string_view m : {"get", "FOO", "", "PROPFIND", "GET ", "\x16\x03\x01"}) {
    EXPECT_EQ(kMethodOther, MethodSlot(m)) << m;
  }
  EXPECT_EQ("other", MethodLabel(kMethodOther));
}

// The slot by a plain search of kMethods, to check MethodSlot() against.
uint32_t ListedSlot(std::string_view method) {
  for (uint32_t i = 0; i < kMethods.size(); ++i) {
    if (kMethods[i] == method) return i;
  }
  return kMethodOther;
}

TEST(LabelsTest, EveryNearMissOfAMethodIsOther) {
  // Each method with every byte at every position, cut short, and grown by
  // every byte at the end: only the method itself finds its slot.
  size_t tried = 0;
  for (std::string_view m : kMethods) {
    std::string text(m);
    for (size_t i = 0; i <= text.size(); ++i) {
      for (int b = 0; b < 256; ++b) {
        std::string changed = text;
        if (i < text.size()) {
          changed[i] = static_cast<char>(b);
        } else {
          changed.push_back(static_cast<char>(b));
        }
        ASSERT_EQ(ListedSlot(changed), MethodSlot(changed)) << testing::PrintToString(changed);
        ++tried;
      }
    }
    for (size_t n = 0; n < text.size(); ++n) {
      EXPECT_EQ(kMethodOther, MethodSlot(text.substr(0, n))) << text.substr(0, n);
    }
  }
  EXPECT_GT(tried, 9u * 256);
}

TEST(LabelsTest, RequestMethodIsTheSlotOfTheFirstWord) {
  // Random requests from bytes that make methods, spaces and near misses,
  // of 0 to 20 bytes: the one-word path must agree with the words.
  std::string alphabet = "GETPOSHADLCNIRUPT \ta";
  alphabet += {'\0', '\x80'};
  std::mt19937 random(7);
  for (int round = 0; round < 200000; ++round) {
    std::string request;
    const size_t size = random() % 21;
    if (round % 3 == 0) {  // most start with a real method
      request = std::string(kMethods[random() % kMethods.size()]) + " ";
    }
    while (request.size() < size) request.push_back(alphabet[random() % alphabet.size()]);
    const std::string_view first = RequestWord(request, 0);
    const uint32_t expected = first.empty() ? kNoMethod : ListedSlot(first);
    ASSERT_EQ(expected, RequestMethodSlot(request)) << testing::PrintToString(request);
  }
}

TEST(LabelsTest, StatusKeepsThreeDigitCodesOnly) {
  struct Case {
    int64_t status;
    std::string label;
  };
  const Case cases[] = {{200, "200"}, {100, "100"},    {599, "599"},
                        {404, "404"}, {99, "other"},   {600, "other"},
                        {0, "other"}, {-200, "other"}, {20000000000, "other"}};
  for (const Case& c : cases) EXPECT_EQ(c.label, StatusLabel(StatusSlot(c.status))) << c.status;
  std::set<uint32_t> slots;
  for (int64_t s = -1000; s < 10000; ++s) slots.insert(StatusSlot(s));
  EXPECT_EQ(501u, slots.size());  // 500 codes and other
}

TEST(LabelsTest, LevelsAsStructlogNamesThem) {
  struct Case {
    std::string_view level;
    std::string_view label;
  };
  const Case cases[] = {{"info", "info"},     {"INFO", "info"},          {"Warning", "warning"},
                        {"warn", "warning"},  {"exception", "error"},    {"critical", "critical"},
                        {"debug", "debug"},   {"error", "error"},        {"", "none"},
                        {"verbose", "other"}, {"informational", "other"}};
  for (const Case& c : cases) EXPECT_EQ(c.label, LevelLabel(LevelSlot(c.level))) << c.level;
}

TEST(LabelsTest, LoggerNamesAreAdmittedUpToTheLimit) {
  LoggerNames names(2);
  const uint32_t a = names.Slot("gunicorn.error");
  const uint32_t b = names.Slot("gunicorn.access");
  EXPECT_EQ(LoggerNames::kOtherSlot, names.Slot("myapp.views"));
  EXPECT_EQ(a, names.Slot("gunicorn.error"));
  EXPECT_EQ(b, names.Slot("gunicorn.access"));
  EXPECT_EQ("gunicorn.error", names.Label(a));
  EXPECT_EQ("gunicorn.access", names.Label(b));
  EXPECT_EQ("other", names.Label(LoggerNames::kOtherSlot));
  EXPECT_EQ(LoggerNames::kNoneSlot, names.Slot(""));
  EXPECT_EQ("none", names.Label(LoggerNames::kNoneSlot));
}

TEST(LabelsTest, UnfitLoggerNamesAreOtherAndUseNoPlace) {
  LoggerNames names(10);
  EXPECT_EQ(LoggerNames::kOtherSlot, names.Slot(std::string(129, 'x')));
  EXPECT_EQ(LoggerNames::kOtherSlot, names.Slot("a\nb"));
  EXPECT_EQ(LoggerNames::kOtherSlot, names.Slot(std::string("a\0b", 3)));
  EXPECT_NE(LoggerNames::kOtherSlot, names.Slot(std::string(128, 'x')));
  EXPECT_NE(LoggerNames::kOtherSlot, names.Slot("ünïcödé.logger"));
}

TEST(LabelsTest, CacheAgreesWithNamesAndStaysBounded) {
  LoggerNames names(3);
  LoggerCache cache(&names);
  std::set<uint32_t> slots;
  for (int i = 0; i < 5000; ++i) slots.insert(cache.Slot("logger." + std::to_string(i)));
  // Three admitted names and other, however many names went by.
  EXPECT_EQ(4u, slots.size());
  EXPECT_EQ(names.Slot("logger.0"), cache.Slot("logger.0"));
  EXPECT_EQ(LoggerNames::kOtherSlot, cache.Slot("logger.4999"));
  EXPECT_EQ(LoggerNames::kNoneSlot, cache.Slot(""));
  EXPECT_EQ(names.Slot("logger.1"), cache.Slot("logger.1"));
}

}  // namespace
}  // namespace logchain::metrics
