// Runs a fuzz target over files and directories of inputs, without
// libFuzzer: how the targets run in every build that is not the asan preset,
// as ordinary tests over their checked-in corpus (ctest label fuzz-replay).
//
// Usage: fuzz_<target> PATH...   (directories are read one level deep;
// arguments starting with '-' are libFuzzer flags and are ignored).
// A failing check inside the target aborts, which fails the test. Running no
// input at all is an error too, so an emptied corpus cannot pass silently.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of exactly the input's size, so ASan sees reads past its end.
  std::vector<uint8_t> copy(bytes.begin(), bytes.end());
  // libFuzzer never passes a null pointer, not even for an empty input.
  static const uint8_t kEmpty = 0;
  LLVMFuzzerTestOneInput(copy.empty() ? &kEmpty : copy.data(), copy.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t runs = 0;
  bool ok = true;
  static const uint8_t kEmpty = 0;
  LLVMFuzzerTestOneInput(&kEmpty, 0);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    const std::filesystem::path path(arg);
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        ok = RunFile(file) && ok;
        ++runs;
      }
    } else {
      ok = RunFile(path) && ok;
      ++runs;
    }
  }
  std::printf("replay: %zu inputs run\n", runs);
  if (runs == 0) {
    std::fprintf(stderr, "replay: no inputs found (give corpus directories or files)\n");
    return 1;
  }
  return ok ? 0 : 1;
}
