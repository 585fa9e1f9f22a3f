#include "patterns/library.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "patterns/logfmt.h"

namespace logchain {
namespace {

std::unique_ptr<PatternLibrary> LoadShipped() {
  Diagnostics diagnostics;
  auto library = PatternLibrary::Load(LOGCHAIN_SOURCE_PATTERNS_DIR, {}, diagnostics);
  EXPECT_TRUE(diagnostics.ok()) << diagnostics.Format();
  return library;
}

TEST(PatternLibraryTest, EveryShippedPatternHasAFormatSamplesAndCommentedFragments) {
  auto library = LoadShipped();
  ASSERT_NE(nullptr, library);
  const std::vector<std::string_view> expected = {
      "apache_combined", "apache_common",  "apache_error",   "gunicorn_error",
      "klog",            "logfmt",         "nginx_combined", "nginx_common",
      "nginx_error",     "python_logging", "syslog_rfc3164", "syslog_rfc5424",
  };
  EXPECT_EQ(expected, library->Names());
  for (std::string_view name : library->Names()) {
    const NamedPattern* p = library->Find(name);
    EXPECT_FALSE(p->format.empty()) << name;
    EXPECT_FALSE(p->samples.empty()) << name;
    // The style guide's rule for shipped files: every fragment says what it matches.
    std::ifstream in(std::string(LOGCHAIN_SOURCE_PATTERNS_DIR) + "/" + std::string(name) +
                     ".pattern");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line[0] == '@') continue;
      EXPECT_NE(std::string::npos, line.find("  # ")) << name << ": " << line;
    }
  }
  EXPECT_EQ(kLogfmtRegex, library->Find("logfmt")->pattern->regex())
      << "patterns/logfmt.pattern and ParseLogfmt must agree on what a logfmt line is";
}

TEST(PatternLibraryTest, EveryBrokenFileIsReportedWithFileAndLine) {
  PatternLibrary library;
  Diagnostics diagnostics;
  const PatternFile files[] = {
      {"blocks.blocks", "# blocks\nPORT  [0-9]+  # a port\nBAD  (  # unbalanced\n"},
      {"backref.pattern", "@sample aa\n(?P<a>a)  # first\n\\1  # back-reference\n"},
      {"lookahead.pattern", "# x\n(?P<a>a)  # first\n(?=b)  # look-ahead\n"},
      {"unknown.pattern", "%{PROT:port}  # typo\n"},
      {"badtype.pattern", "@type a bool\n(?P<a>a)  # a\n"},
      {"typo.pattern", "@type stauts int\n(?P<status>[0-9]+)  # status\n"},
      {"sample.pattern", "@sample b\n(?P<a>a)  # a\n"},
      {"directive.pattern", "@sampel a\n(?P<a>a)  # a\n"},
      {"good.pattern", "@sample host:8080\n(?P<host>[a-z]+)  # host\n:%{PORT:port:int}  # port\n"},
  };
  EXPECT_FALSE(library.AddFiles(files, "dir", diagnostics));
  const std::string text = diagnostics.Format();
  EXPECT_NE(std::string::npos, text.find("dir/blocks.blocks:3: RE2 error: near")) << text;
  EXPECT_NE(std::string::npos, text.find("dir/backref.pattern:3: RE2 error: near '\\1'")) << text;
  EXPECT_NE(std::string::npos, text.find("dir/lookahead.pattern:3: RE2 error: near '(?='"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("dir/unknown.pattern:1: unknown building block 'PROT' (did you mean "
                      "'PORT'?)"))
      << text;
  EXPECT_NE(std::string::npos, text.find("dir/badtype.pattern:1: unknown type 'bool'")) << text;
  EXPECT_NE(std::string::npos,
            text.find("dir/typo.pattern: a type is declared for 'stauts' but there is no group"))
      << text;
  EXPECT_NE(std::string::npos, text.find("dir/sample.pattern: the @sample line does not match"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("dir/directive.pattern:1: unknown directive '@sampel' (did you mean "
                      "'@sample'?)"))
      << text;
  EXPECT_EQ(8u, diagnostics.problems().size()) << text;
  // The good file still loaded, with its grok reference typed.
  const NamedPattern* good = library.Find("good");
  ASSERT_NE(nullptr, good);
  Arena arena;
  std::vector<MatchedField> out;
  ASSERT_TRUE(good->Parse("web:443", arena, false, &out));
  ASSERT_EQ(2u, out.size());
  EXPECT_EQ("port", out[1].name);
  EXPECT_EQ(ValueKind::kInt, out[1].value.kind);
  EXPECT_EQ(443, out[1].value.int_value);
}

TEST(PatternLibraryTest, BlockCyclesBlowUpsAndRedefinitionsAreRefused) {
  PatternLibrary library;
  Diagnostics diagnostics;
  const PatternFile files[] = {
      {"a.blocks", "LOOP  x%{LOOP}  # refers to itself\nX  %{Y}%{Y}%{Y}%{Y}  # four Y\n"
                   "Y  %{Z}%{Z}%{Z}%{Z}  # four Z\nZ  %{W}%{W}%{W}%{W}  # four W\n"
                   "W  %{V}%{V}%{V}%{V}  # four V\nV  %{U}%{U}%{U}%{U}  # four U\n"
                   "U  %{T}%{T}%{T}%{T}  # four T\nT  abcdefgh  # eight bytes\n"},
      {"b.blocks", "T  other  # again\n"},
      {"loop.pattern", "%{LOOP}  # a cycle\n"},
      {"big.pattern", "%{X}%{X}  # twice 4^6 * 8 bytes\n"},
  };
  EXPECT_FALSE(library.AddFiles(files, "d", diagnostics));
  const std::string text = diagnostics.Format();
  EXPECT_NE(std::string::npos, text.find("d/b.blocks:1: building block 'T' is already defined"))
      << text;
  EXPECT_NE(std::string::npos, text.find("d/loop.pattern:1: building blocks refer to each other "
                                         "too deeply"))
      << text;
  EXPECT_NE(std::string::npos, text.find("d/big.pattern:1: the pattern grows beyond")) << text;
}

TEST(PatternLibraryTest, GrokBlocksFromTheShippedSet) {
  auto library = LoadShipped();
  ASSERT_NE(nullptr, library);
  Diagnostics diagnostics;
  const PatternFile files[] = {
      {"app.pattern",
       "@sample 2001:db8::1 GET 12.5\n%{IPORHOST:client}  # client\n[ ]%{WORD:verb}  # verb\n"
       "[ ]%{NUMBER:took:float}  # seconds\n"},
  };
  ASSERT_TRUE(library->AddFiles(files, "user", diagnostics)) << diagnostics.Format();
  Arena arena;
  std::vector<MatchedField> out;
  ASSERT_TRUE(library->Find("app")->Parse("web-1.internal POST 0.25", arena, false, &out));
  ASSERT_EQ(3u, out.size());
  EXPECT_EQ("web-1.internal", out[0].value.text);
  EXPECT_EQ(0.25, out[2].value.double_value);
}

TEST(PatternLibraryTest, LogfmtKeysAreRenamedAndTypedLeniently) {
  auto library = LoadShipped();
  ASSERT_NE(nullptr, library);
  Arena arena;
  std::vector<MatchedField> out;
  ASSERT_TRUE(library->Find("logfmt")->Parse("lvl=WARN msg=\"x y\" status=oops status=204",
                                             arena, false, &out));
  ASSERT_EQ(4u, out.size());
  EXPECT_EQ("level", out[0].name);
  EXPECT_EQ("warning", out[0].value.text);
  EXPECT_EQ("event", out[1].name);
  EXPECT_EQ("x y", out[1].value.text);
  EXPECT_EQ(ValueKind::kString, out[2].value.kind) << "a value that is no int stays text";
  EXPECT_EQ(ValueKind::kInt, out[3].value.kind);
}

TEST(PatternLibraryTest, UserDirectoriesAddAndReplaceAndMissingOnesAreReported) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("logchain-patterns-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "klog.pattern") << "@format mine\n@sample x\n(?P<event>x)  # x\n";
  std::ofstream(dir / "README.txt") << "not a pattern file\n";
  Diagnostics diagnostics;
  const std::string dirs[] = {dir.string()};
  auto library = PatternLibrary::Load(LOGCHAIN_SOURCE_PATTERNS_DIR, dirs, diagnostics);
  ASSERT_NE(nullptr, library) << diagnostics.Format();
  EXPECT_EQ("mine", library->Find("klog")->format) << "a user file replaces a shipped one";
  EXPECT_EQ(12u, library->Names().size());

  const std::string missing[] = {"/nonexistent/logchain-patterns"};
  EXPECT_EQ(nullptr, PatternLibrary::Load(LOGCHAIN_SOURCE_PATTERNS_DIR, missing, diagnostics));
  EXPECT_NE(std::string::npos,
            diagnostics.Format().find("--patterns-dir /nonexistent/logchain-patterns: cannot "
                                      "read the directory"))
      << diagnostics.Format();
  std::filesystem::remove_all(dir);
}

TEST(PatternLibraryTest, TheSearchPathCoversTheBuildTreeAndInstalledLayouts) {
  const std::vector<std::string> dirs = PatternLibrary::DefaultShippedDirs();
  ASSERT_GE(dirs.size(), 3u);
  EXPECT_TRUE(dirs[0].ends_with("/share/logchain/patterns")) << dirs[0];
  EXPECT_TRUE(dirs[1].ends_with("/../share/logchain/patterns") ||
              dirs[1].ends_with("/share/logchain/patterns"))
      << dirs[1];
  EXPECT_EQ("/usr/share/logchain/patterns", dirs.back());
  // This test binary lives in <build>/tests: the build tree's copy is found.
  Diagnostics diagnostics;
  auto library = PatternLibrary::Load("", {}, diagnostics);
  ASSERT_NE(nullptr, library) << diagnostics.Format();
  EXPECT_NE(nullptr, library->Find("nginx_combined"));
}

}  // namespace
}  // namespace logchain

namespace logchain {
namespace {

// docs/patterns.md lists every shipped pattern, with its format and a sample
// line exactly as the pattern file has them, and no pattern that is gone.
TEST(PatternLibraryTest, DocsListEveryShippedPatternWithItsFormatAndSample) {
  auto library = LoadShipped();
  ASSERT_NE(nullptr, library);
  std::ifstream in(std::string(LOGCHAIN_SOURCE_DIR) + "/docs/patterns.md");
  ASSERT_TRUE(in) << "docs/patterns.md";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string docs = buffer.str();
  for (std::string_view name : library->Names()) {
    const NamedPattern* p = library->Find(name);
    const std::string heading = "\n### `" + std::string(name) + "`\n";
    const size_t at = docs.find(heading);
    ASSERT_NE(std::string::npos, at) << "docs/patterns.md has no section " << heading;
    const size_t end = docs.find("\n### ", at + 1);
    const std::string section = docs.substr(at, end == std::string::npos ? end : end - at);
    EXPECT_NE(std::string::npos, section.find("\n" + p->format + "\n"))
        << name << ": the section does not show @format " << p->format;
    EXPECT_NE(std::string::npos, section.find("\n" + p->samples.front() + "\n"))
        << name << ": the section does not show the first @sample " << p->samples.front();
  }
  size_t pos = 0;
  while ((pos = docs.find("\n### `", pos)) != std::string::npos) {
    pos += 6;
    const std::string name = docs.substr(pos, docs.find('`', pos) - pos);
    EXPECT_NE(nullptr, library->Find(name)) << "docs/patterns.md lists '" << name
                                            << "', which is no shipped pattern";
  }
}

}  // namespace
}  // namespace logchain
