// SPDX-License-Identifier: MIT
#pragma once
/// Runs the snnsim binary (SNNSIM_BINARY) as a user would and captures its exit status, stdout
/// and stderr; for the CLI, bad-input, atomic-output and determinism tests.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace snnsim::test {

struct CliResult {
  int status = -1;  ///< exit status, or -1 when killed by a signal
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

/// `snnsim <args>` through the shell (arguments are not quoted: test paths have no spaces).
inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  const TempDir dir("cli");
  const std::string cmd = env + (env.empty() ? "" : " ") + std::string(SNNSIM_BINARY) + " " + args + " > " +
                          (dir.path() / "out").string() + " 2> " + (dir.path() / "err").string();
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir.path() / "out"), slurp(dir.path() / "err")};
}

}  // namespace snnsim::test
