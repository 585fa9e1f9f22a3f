#include "patterns/library.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "patterns/logfmt.h"

#ifndef LOGCHAIN_INSTALL_PATTERNS_DIR
#define LOGCHAIN_INSTALL_PATTERNS_DIR "/usr/local/share/logchain/patterns"
#endif

namespace logchain {
namespace {

constexpr std::string_view kCommentSeparator = "  # ";
constexpr std::string_view kRe2Hint =
    "RE2 matches in linear time and has no back-references or look-around; see "
    "docs/patterns.md";
// No pattern needs more; a bigger expansion is a block cycle or a blow-up.
constexpr size_t kMaxExpandedBytes = 64 * 1024;
constexpr int kMaxDepth = 16;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

std::string Where(const std::string& file, size_t line) {
  return file + ":" + std::to_string(line);
}

re2::RE2::Options QuietOptions() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(32 << 20);
  return options;
}

std::string Re2Message(const re2::RE2& re) {
  return "RE2 error: near '" + re.error_arg() + "': " + re.error();
}

bool ParseType(std::string_view args, FieldSpec* spec, std::string* error) {
  const std::vector<std::string_view> words = Words(args);
  if (words.size() < 2) {
    *error = "expected @type FIELD TYPE [dash=null|dash=0] [empty=null] [escapes=KIND]";
    return false;
  }
  spec->name = std::string(words[0]);
  const std::string_view type = words[1];
  if (type == "string") {
    spec->type = FieldSpec::Type::kString;
  } else if (type == "int") {
    spec->type = FieldSpec::Type::kInt;
  } else if (type == "float") {
    spec->type = FieldSpec::Type::kFloat;
  } else if (type == "level") {
    spec->type = FieldSpec::Type::kLevel;
  } else {
    *error = "unknown type '" + std::string(type) + "': use string, int, float or level";
    return false;
  }
  for (size_t i = 2; i < words.size(); ++i) {
    const std::string_view extra = words[i];
    if (extra == "dash=null") {
      spec->dash = FieldSpec::Dash::kNull;
    } else if (extra == "dash=0") {
      spec->dash = FieldSpec::Dash::kZero;
    } else if (extra == "empty=null") {
      spec->empty_is_null = true;
    } else if (extra == "escapes=backslash") {
      spec->escapes = FieldSpec::Escapes::kBackslash;
    } else if (extra == "escapes=apache") {
      spec->escapes = FieldSpec::Escapes::kApache;
    } else if (extra == "escapes=nginx") {
      spec->escapes = FieldSpec::Escapes::kNginx;
    } else {
      *error = "unknown modifier '" + std::string(extra) +
               "': use dash=null, dash=0, empty=null, escapes=backslash, escapes=apache or "
               "escapes=nginx";
      return false;
    }
  }
  return true;
}

// The text before the comment separator, trimmed.
std::string_view FragmentOf(std::string_view line, bool* has_comment) {
  const size_t at = line.find(kCommentSeparator);
  *has_comment = at != std::string_view::npos;
  return Trim(*has_comment ? line.substr(0, at) : line);
}

// Where a regex built from fragments first goes wrong: the first fragment
// whose prefix fails with something other than a missing ')' (which a later
// fragment may close), else the last fragment.
size_t LocateError(const std::vector<std::string>& fragments) {
  std::string prefix;
  for (size_t i = 0; i < fragments.size(); ++i) {
    prefix += fragments[i];
    re2::RE2 re(prefix, QuietOptions());
    if (!re.ok() && re.error_code() != re2::RE2::ErrorMissingParen) return i;
  }
  return fragments.empty() ? 0 : fragments.size() - 1;
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
}

bool ReadDirectory(const std::string& dir, std::vector<PatternFile>* files, std::string* error) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) {
    *error = ec.message();
    return false;
  }
  for (const auto& entry : it) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".pattern" || ext == ".blocks") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      *error = "cannot read " + p.string();
      return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files->push_back(PatternFile{p.filename().string(), text.str()});
  }
  return true;
}

}  // namespace

bool NamedPattern::Parse(std::string_view text, Arena& arena, bool decode,
                         std::vector<MatchedField>* out) const {
  if (kind == PatternKind::kRegex) return pattern->Match(text, arena, decode, out);
  thread_local std::vector<LogfmtPair> pairs;
  if (!ParseLogfmt(text, arena, &pairs)) return false;
  out->clear();
  for (const LogfmtPair& pair : pairs) {
    std::string_view key = pair.key;
    for (const auto& [from, to] : renames) {
      if (from == pair.key) key = to;
    }
    Value value = Value::String(pair.value);
    for (const FieldSpec& spec : key_types) {
      // A key's value that does not convert stays text: logfmt keys are the
      // line's own, and one odd value is no reason to lose the others.
      if (spec.name == key && !ConvertField(spec, pair.value, arena, decode, &value)) {
        value = Value::String(pair.value);
      }
    }
    out->push_back(MatchedField{key, value});
  }
  return true;
}

bool PatternLibrary::Expand(std::string_view fragment, int depth, std::string* out,
                            std::vector<FieldSpec>* specs, std::string* error) const {
  if (depth > kMaxDepth) {
    *error = "building blocks refer to each other too deeply (a cycle?)";
    return false;
  }
  size_t i = 0;
  while (i < fragment.size()) {
    const size_t ref = fragment.find("%{", i);
    if (ref == std::string_view::npos) {
      out->append(fragment.substr(i));
      break;
    }
    out->append(fragment.substr(i, ref - i));
    const size_t close = fragment.find('}', ref);
    if (close == std::string_view::npos) {
      *error = "'%{' without a closing '}'";
      return false;
    }
    const std::string_view inside = fragment.substr(ref + 2, close - ref - 2);
    const size_t colon = inside.find(':');
    const std::string_view name = inside.substr(0, colon);
    std::string_view field, type;
    if (colon != std::string_view::npos) {
      field = inside.substr(colon + 1);
      const size_t colon2 = field.find(':');
      if (colon2 != std::string_view::npos) {
        type = field.substr(colon2 + 1);
        field = field.substr(0, colon2);
      }
    }
    auto block = blocks_.find(name);
    if (block == blocks_.end()) {
      std::vector<std::string_view> names;
      for (const auto& entry : blocks_) names.push_back(entry.first);
      *error = "unknown building block '" + std::string(name) + "'" + DidYouMean(name, names);
      return false;
    }
    if (!field.empty() && !ValidName(field)) {
      *error = "'" + std::string(field) + "' is not a field name (letters, digits, _)";
      return false;
    }
    out->append(field.empty() ? "(?:" : "(?P<" + std::string(field) + ">");
    if (!Expand(block->second, depth + 1, out, nullptr, error)) return false;
    out->append(")");
    if (out->size() > kMaxExpandedBytes) {
      *error = "the pattern grows beyond " + std::to_string(kMaxExpandedBytes) +
               " bytes once building blocks are expanded";
      return false;
    }
    if (!type.empty()) {
      if (specs == nullptr) {
        *error = "a building block cannot declare a type";
        return false;
      }
      if (field.empty()) {
        *error = "a type needs a field name: %{" + std::string(name) + ":FIELD:" +
                 std::string(type) + "}";
        return false;
      }
      FieldSpec spec;
      spec.name = std::string(field);
      if (type == "int") {
        spec.type = FieldSpec::Type::kInt;
      } else if (type == "float") {
        spec.type = FieldSpec::Type::kFloat;
      } else {
        *error = "unknown type '" + std::string(type) + "' in %{...}: use int or float";
        return false;
      }
      specs->push_back(spec);
    }
    i = close + 1;
  }
  return true;
}

bool PatternLibrary::AddBlocks(const std::string& file, std::string_view text,
                               Diagnostics& diagnostics) {
  bool ok = true;
  const std::vector<std::string_view> lines = SplitLines(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = Trim(lines[n]);
    if (line.empty() || line.front() == '#') continue;
    bool has_comment = false;
    const std::string_view body = FragmentOf(line, &has_comment);
    const size_t space = body.find_first_of(" \t");
    if (space == std::string_view::npos) {
      diagnostics.Error(Where(file, n + 1), "expected NAME REGEX  # comment",
                        "a building block is a name, its regex, and a comment saying what "
                        "it matches");
      ok = false;
      continue;
    }
    const std::string name(body.substr(0, space));
    const std::string regex(Trim(body.substr(space)));
    if (!ValidName(name)) {
      diagnostics.Error(Where(file, n + 1), "'" + name + "' is not a building block name",
                        "use letters, digits and _ (e.g. IPORHOST)");
      ok = false;
      continue;
    }
    if (auto it = block_files_.find(name); it != block_files_.end()) {
      diagnostics.Error(Where(file, n + 1), "building block '" + name + "' is already defined",
                        "in " + it->second + "; choose another name");
      ok = false;
      continue;
    }
    // A block that refers to others is checked when a pattern expands it.
    if (regex.find("%{") == std::string::npos) {
      re2::RE2 re(regex, QuietOptions());
      if (!re.ok()) {
        diagnostics.Error(Where(file, n + 1), Re2Message(re), std::string(kRe2Hint));
        ok = false;
        continue;
      }
    }
    blocks_[name] = regex;
    block_files_[name] = Where(file, n + 1);
  }
  return ok;
}

bool PatternLibrary::AddPattern(const std::string& file, std::string_view name,
                                std::string_view text, Diagnostics& diagnostics) {
  auto info = std::make_unique<NamedPattern>();
  info->name = std::string(name);
  info->file = file;
  if (!ValidName(name)) {
    diagnostics.Error(file, "'" + info->name + "' is not a pattern name",
                      "name the file with letters, digits and _, e.g. my_app.pattern");
    return false;
  }
  std::vector<FieldSpec> specs;
  std::vector<std::string> fragments;
  std::vector<size_t> fragment_lines;
  bool ok = true;
  const std::vector<std::string_view> lines = SplitLines(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = Trim(lines[n]);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '@') {
      const size_t space = line.find_first_of(" \t");
      const std::string_view directive = line.substr(0, space);
      const std::string_view args =
          space == std::string_view::npos ? std::string_view() : Trim(line.substr(space + 1));
      std::string error;
      if (directive == "@format") {
        info->format = std::string(args);
      } else if (directive == "@sample") {
        info->samples.emplace_back(args);
      } else if (directive == "@type") {
        FieldSpec spec;
        if (ParseType(args, &spec, &error)) {
          specs.push_back(spec);
        } else {
          diagnostics.Error(Where(file, n + 1), error, "e.g. @type status int");
          ok = false;
        }
      } else if (directive == "@kind") {
        if (args == "regex") {
          info->kind = PatternKind::kRegex;
        } else if (args == "logfmt") {
          info->kind = PatternKind::kLogfmt;
        } else {
          diagnostics.Error(Where(file, n + 1), "unknown kind '" + std::string(args) + "'",
                            "use @kind regex (the default) or @kind logfmt");
          ok = false;
        }
      } else if (directive == "@rename") {
        const std::vector<std::string_view> words = Words(args);
        if (words.size() != 2) {
          diagnostics.Error(Where(file, n + 1), "expected @rename KEY FIELD",
                            "e.g. @rename msg event");
          ok = false;
        } else {
          info->renames.emplace_back(words[0], words[1]);
        }
      } else {
        std::vector<std::string_view> known = {"@format", "@sample", "@type", "@kind",
                                               "@rename"};
        diagnostics.Error(Where(file, n + 1),
                          "unknown directive '" + std::string(directive) + "'" +
                              DidYouMean(directive, known),
                          "use @format, @sample, @type, @kind or @rename");
        ok = false;
      }
      continue;
    }
    bool has_comment = false;
    const std::string_view fragment = FragmentOf(line, &has_comment);
    std::string expanded, error;
    if (!Expand(fragment, 0, &expanded, &specs, &error)) {
      diagnostics.Error(Where(file, n + 1), error, "building blocks: docs/patterns.md");
      ok = false;
      continue;
    }
    fragments.push_back(expanded);
    fragment_lines.push_back(n + 1);
  }
  if (!ok) return false;
  if (fragments.empty()) {
    diagnostics.Error(file, "the pattern has no fragments",
                      "write the regex one fragment per line, each with a comment");
    return false;
  }
  if (info->kind == PatternKind::kRegex && !info->renames.empty()) {
    diagnostics.Error(file, "@rename is for @kind logfmt",
                      "name the regex's group (?P<field>...) as the field should be named");
    return false;
  }
  std::string regex;
  for (const std::string& f : fragments) regex += f;
  if (regex.size() > kMaxExpandedBytes) {
    diagnostics.Error(file, "the pattern is longer than " + std::to_string(kMaxExpandedBytes) +
                      " bytes", "split it, or use fewer building blocks");
    return false;
  }
  if (info->kind == PatternKind::kLogfmt) {
    info->key_types = std::move(specs);
    specs.clear();
  }
  info->pattern = std::make_unique<Pattern>(info->name, regex, specs);
  if (!info->pattern->ok()) {
    const re2::RE2& re = info->pattern->re2();
    if (!re.ok()) {
      diagnostics.Error(Where(file, fragment_lines[LocateError(fragments)]), Re2Message(re),
                        std::string(kRe2Hint));
    } else {
      diagnostics.Error(file, info->pattern->error(),
                        "name a group (?P<FIELD>...) or drop the @type line");
    }
    return false;
  }
  for (const std::string& sample : info->samples) {
    Arena arena;
    std::vector<MatchedField> out;
    if (!info->Parse(sample, arena, false, &out)) {
      diagnostics.Error(file, "the @sample line does not match the pattern",
                        "fix the pattern or the sample; logchain --check runs this test");
      return false;
    }
  }
  std::erase_if(patterns_, [&](const auto& p) { return p->name == info->name; });
  patterns_.push_back(std::move(info));
  return true;
}

bool PatternLibrary::AddFiles(std::span<const PatternFile> files, std::string_view dir,
                              Diagnostics& diagnostics) {
  bool ok = true;
  auto path = [dir](std::string_view name) {
    return dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
  };
  for (const PatternFile& f : files) {
    if (std::string_view(f.name).ends_with(".blocks")) {
      ok = AddBlocks(path(f.name), f.text, diagnostics) && ok;
    }
  }
  for (const PatternFile& f : files) {
    const std::string_view name = f.name;
    if (!name.ends_with(".pattern")) continue;
    ok = AddPattern(path(name), name.substr(0, name.size() - 8), f.text, diagnostics) && ok;
  }
  return ok;
}

std::vector<std::string> PatternLibrary::DefaultShippedDirs() {
  std::vector<std::string> dirs;
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path bin = exe.parent_path();
    dirs.push_back((bin / "share/logchain/patterns").string());
    dirs.push_back((bin.parent_path() / "share/logchain/patterns").string());
  }
  for (const char* fixed : {LOGCHAIN_INSTALL_PATTERNS_DIR, "/usr/share/logchain/patterns"}) {
    if (std::find(dirs.begin(), dirs.end(), fixed) == dirs.end()) dirs.emplace_back(fixed);
  }
  return dirs;
}

std::unique_ptr<PatternLibrary> PatternLibrary::Load(std::string_view shipped_dir,
                                                     std::span<const std::string> user_dirs,
                                                     Diagnostics& diagnostics) {
  std::string shipped(shipped_dir);
  if (shipped.empty()) {
    const std::vector<std::string> candidates = DefaultShippedDirs();
    for (const std::string& dir : candidates) {
      std::error_code ec;
      if (std::filesystem::is_directory(dir, ec)) {
        shipped = dir;
        break;
      }
    }
    if (shipped.empty()) {
      std::string looked;
      for (const std::string& dir : candidates) looked += (looked.empty() ? "" : ", ") + dir;
      diagnostics.Error("patterns", "the shipped pattern files are not installed (looked in " +
                                        looked + ")",
                        "reinstall logchain, or copy its patterns/ directory to one of these");
      return nullptr;
    }
  }
  auto library = std::make_unique<PatternLibrary>();
  bool ok = true;
  std::vector<std::string> dirs = {shipped};
  dirs.insert(dirs.end(), user_dirs.begin(), user_dirs.end());
  for (size_t i = 0; i < dirs.size(); ++i) {
    std::vector<PatternFile> files;
    std::string error;
    if (!ReadDirectory(dirs[i], &files, &error)) {
      diagnostics.Error(i == 0 ? "patterns " + dirs[i] : "--patterns-dir " + dirs[i],
                        "cannot read the directory: " + error,
                        "give a directory of *.pattern and *.blocks files");
      ok = false;
      continue;
    }
    if (i > 0 && files.empty()) {
      diagnostics.Error("--patterns-dir " + dirs[i], "no *.pattern or *.blocks file here",
                        "pattern files are named NAME.pattern (docs/patterns.md)");
      ok = false;
      continue;
    }
    ok = library->AddFiles(files, dirs[i], diagnostics) && ok;
  }
  return ok ? std::move(library) : nullptr;
}

const NamedPattern* PatternLibrary::Find(std::string_view name) const {
  for (const auto& p : patterns_) {
    if (p->name == name) return p.get();
  }
  return nullptr;
}

std::vector<std::string_view> PatternLibrary::Names() const {
  std::vector<std::string_view> names;
  for (const auto& p : patterns_) names.push_back(p->name);
  std::sort(names.begin(), names.end());
  return names;
}

std::shared_ptr<const PatternLibrary> PatternLibraryHandle::Get(Diagnostics& diagnostics) {
  if (!loaded_) {
    loaded_ = true;
    library_ = PatternLibrary::Load(shipped_dir_, user_dirs_, diagnostics);
  }
  return library_;
}

}  // namespace logchain
