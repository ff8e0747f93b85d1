// SPDX-License-Identifier: MIT
// Atomic outputs: snnsim writes every file to a temporary file in the target's folder and renames
// it when complete. Here each writing command is killed with SIGKILL while its temporary file
// exists (mid-write); the target must then hold its previous contents (or not exist), never a
// partial file.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using snnsim::test::TempDir;

namespace {

/// Starts `snnsim args...` with stdout and stderr to `log`.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  std::string binary = SNNSIM_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

/// True when the folder holds the temporary file of an atomic write of `target`.
bool writing(const fs::path& target) {
  std::string prefix = ".";  // built with append: GCC 12 warns falsely (-Wrestrict) on "." + s + "..."
  prefix.append(target.filename().string()).append(".tmp.");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(target.parent_path(), ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) return true;
  return false;
}

enum class Outcome { KilledMidWrite, Finished };

/// Runs the command and SIGKILLs it as soon as its temporary file for `target` appears.
Outcome kill_mid_write(const std::vector<std::string>& args, const fs::path& target, const fs::path& log) {
  const pid_t pid = spawn(args, log);
  REQUIRE(pid > 0);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (writing(target)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return WIFSIGNALED(status) ? Outcome::KilledMidWrite : Outcome::Finished;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return Outcome::Finished;
}

/// Kills the command mid-write (retrying while it finishes first) and checks the target.
void check_killed_write(const std::vector<std::string>& args, const fs::path& target) {
  const std::string previous = "previous contents\n";
  bool killed = false;
  for (int attempt = 0; attempt < 5 && !killed; ++attempt) {
    {
      std::ofstream(target, std::ios::binary | std::ios::trunc) << previous;
    }
    killed = kill_mid_write(args, target, target.parent_path() / "log") == Outcome::KilledMidWrite;
    CAPTURE(TempDir::read(target.parent_path() / "log"));
    if (killed) {
      // The target is exactly what it was: the partial data only ever lived in the temporary file.
      CHECK(TempDir::read(target) == previous);
    } else {
      CHECK(TempDir::read(target) != previous);  // finished: the complete new file replaced it
    }
  }
  CHECK(killed);
}

}  // namespace

TEST_CASE("SIGKILL during snnsim export leaves the target as it was") {
  const TempDir dir("kill-export");
  const fs::path model = fs::path(SNNSIM_SOURCE_DIR) / "models/lmuformer/lmuformer_sfmnist.h5";
  check_killed_write({"export", "--format", "nir", "--model", model.string(), "-o", (dir / "out.nir").string()},
                     dir / "out.nir");
}

TEST_CASE("SIGKILL while snnsim run writes its spike file leaves the target as it was") {
  const TempDir dir("kill-spikes");
  const fs::path net = fs::path(snnsim::test::shared_dir()) / "peers/brian2/cuba.h5";
  check_killed_write({"run", "--network", net.string(), "--threads", "1", "--spikes", (dir / "spikes.csv").string()},
                     dir / "spikes.csv");
}

TEST_CASE("SIGKILL while snnsim run writes its JSON report leaves the target as it was") {
  const TempDir dir("kill-json");
  check_killed_write({"run", "--first", "8", "--threads", "1", "--rasters", "8", "--per-sample", "--json",
                      (dir / "run.json").string()},
                     dir / "run.json");
}
