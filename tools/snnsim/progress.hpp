// SPDX-License-Identifier: MIT
#pragma once
/// A progress bar on stderr, drawn only when stderr is a terminal (never in logs or pipes).
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace snnsim::tools {

class ProgressBar {
 public:
  explicit ProgressBar(std::string what) : what_(std::move(what)), enabled_(isatty(fileno(stderr)) != 0) {}
  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const int width = 30;
    const int filled = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r[%s%s] %zu/%zu %s  %.0f/s ", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), done, total, what_.c_str(),
                 secs > 0 ? static_cast<double>(done) / secs : 0.0);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string what_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace snnsim::tools
