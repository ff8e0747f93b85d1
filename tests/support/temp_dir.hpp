// SPDX-License-Identifier: MIT
#pragma once
/// A fresh, empty folder under the system temporary directory, removed with its contents when the
/// TempDir goes out of scope.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace snnsim::test {

class TempDir {
 public:
  explicit TempDir(std::string_view tag = "test") {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 1000; ++attempt) {
      std::filesystem::path p = base / ("snnsim-" + std::string(tag) + "-" +
                                        std::to_string(::getpid()) + "-" +
                                        std::to_string(counter.fetch_add(1)));
      std::error_code ec;
      if (std::filesystem::create_directory(p, ec)) {
        path_ = std::move(p);
        return;
      }
    }
    throw std::runtime_error("TempDir: cannot create a folder under " + base.string());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  /// Names of the entries in the folder, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  /// Writes `contents` to `name` in the folder (binary) and returns its path.
  std::filesystem::path write(std::string_view name, std::string_view contents) const {
    const std::filesystem::path p = path_ / name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out) throw std::runtime_error("TempDir: cannot write " + p.string());
    return p;
  }

  /// The bytes of a file (binary).
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("TempDir: cannot read " + p.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

 private:
  std::filesystem::path path_;
};

}  // namespace snnsim::test
