// SPDX-License-Identifier: MIT
#pragma once
/// CPython embedded through its C API (Debian's python3-dev): one interpreter per process,
/// initialised on first use and never finalised (numpy and Lava do not survive a restart of the
/// interpreter). Calls take the GIL, so any thread may call; Python runs one call at a time.
/// A Python exception becomes snnsim::Error naming the function and the exception's first line.
#include <filesystem>
#include <string>

namespace snnsim::hw_backends::lava {

class PythonRuntime {
 public:
  /// The process's interpreter (started on first call).
  static PythonRuntime& instance();

  /// Imports `module` from `module_dir` (prepended to sys.path once) and calls
  /// module.function(argument) with one str argument; returns the str result.
  std::string call(const std::filesystem::path& module_dir, const std::string& module, const std::string& function,
                   const std::string& argument) const;

  /// The interpreter's version ("3.11.2").
  std::string version() const;

  PythonRuntime(const PythonRuntime&) = delete;
  PythonRuntime& operator=(const PythonRuntime&) = delete;

 private:
  PythonRuntime();
};

}  // namespace snnsim::hw_backends::lava
