// SPDX-License-Identifier: MIT
#pragma once
/// What every libFuzzer target shares. The loaders take paths, so each input is written to a
/// scratch file first. The oracle: a loader may return or throw snnsim::Error (bad input, reported
/// as one line); anything else - a crash, a sanitizer report, a leak, or any other exception
/// (which the CLI would report as an internal error, exit 3) - is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "sim/error.hpp"

namespace snnsim::fuzz {

/// The bytes written to the scratch file and the loaders' read limit: small enough that the
/// fuzzer's -malloc_limit_mb catches any allocation a declared size forces before it is checked.
inline constexpr std::size_t fuzz_max_bytes = std::size_t{16} << 20;

/// `<tmp>/snnsim-fuzz-<pid>/<name>`: one folder per fuzzing process, removed at exit.
class ScratchFile {
 public:
  explicit ScratchFile(std::string_view name) {
    const char* base = std::getenv("SNNSIM_FUZZ_TMP");
    dir_ = (base ? std::filesystem::path(base) : std::filesystem::temp_directory_path()) /
           ("snnsim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / name;
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::filesystem::path& path() const noexcept { return path_; }
  const std::filesystem::path& dir() const noexcept { return dir_; }

  /// Replaces the file's contents with `size` bytes at `data`.
  const std::filesystem::path& write(const std::uint8_t* data, std::size_t size) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path_;
  }

 private:
  std::filesystem::path dir_, path_;
};

}  // namespace snnsim::fuzz

/// libFuzzer calls this once: the loaders' memory limit (sim/memory_limit.hpp) becomes
/// fuzz_max_bytes, far below -malloc_limit_mb, so an allocation a declared size forces past the
/// checks is caught.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ::setenv("SNNSIM_MAX_MEMORY", "16M", 1);
  return 0;
}

namespace snnsim::fuzz {

/// Runs a loader on one input: snnsim::Error is the expected answer to bad input.
template <class F>
int expect_clean(F&& load) {
  try {
    load();
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace snnsim::fuzz
