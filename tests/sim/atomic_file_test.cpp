// SPDX-License-Identifier: MIT
// sim/atomic_file: output appears only on commit, never half-written; inputs are never overwritten.
#include "sim/atomic_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using snnsim::AtomicFile;
using snnsim::Error;
using snnsim::test::TempDir;

namespace {

using snnsim::test::error_of;

}  // namespace

TEST_CASE("write_file_atomic writes and replaces, leaving no temporary file") {
  TempDir dir("atomic");
  const fs::path out = dir / "report.json";
  snnsim::write_file_atomic(out, "{\"a\": 1}\n");
  CHECK(TempDir::read(out) == "{\"a\": 1}\n");
  const std::string binary("\0\x01\xff\r\n", 5);
  snnsim::write_file_atomic(out, binary);
  CHECK(TempDir::read(out) == binary);
  CHECK(dir.entries() == std::vector<std::string>{"report.json"});
}

TEST_CASE("AtomicFile: temporary name, commit, abandon") {
  TempDir dir("atomic");
  const fs::path out = dir / "spikes.csv";
  {
    AtomicFile file(out);
    CHECK(file.target() == out);
    CHECK(file.temp_path().parent_path() == dir.path());
    CHECK(file.temp_path().filename().string().rfind(".spikes.csv.tmp.", 0) == 0);
    file.stream() << "step,neuron\n0,3\n";
    CHECK_FALSE(fs::exists(out));
    CHECK(fs::exists(file.temp_path()));
    file.commit();
    CHECK_FALSE(fs::exists(file.temp_path()));
    CHECK(error_of([&] { file.commit(); }) == out.string() + ": expected one commit, got a second commit");
  }
  CHECK(TempDir::read(out) == "step,neuron\n0,3\n");

  // Destroyed without commit: the old contents stay, the temporary file goes.
  {
    AtomicFile file(out);
    file.stream() << "half";
  }
  CHECK(TempDir::read(out) == "step,neuron\n0,3\n");
  CHECK(dir.entries() == std::vector<std::string>{"spikes.csv"});

  // Abandoned by an exception while writing.
  const fs::path other = dir / "other.txt";
  try {
    AtomicFile file(other);
    file.stream() << "partial";
    throw Error("test", "", "nothing", "an exception");
  } catch (const Error&) {
  }
  CHECK_FALSE(fs::exists(other));
  CHECK(dir.entries() == std::vector<std::string>{"spikes.csv"});
}

TEST_CASE("AtomicFile: verbatim errors for bad targets") {
  TempDir dir("atomic");
  const fs::path nowhere = dir / "missing" / "out.txt";
  CHECK(error_of([&] { AtomicFile f(nowhere); }) ==
        nowhere.string() + ": expected an existing folder, got no folder " + (dir / "missing").string());
  CHECK(error_of([&] { snnsim::write_file_atomic(nowhere, "x"); }) ==
        nowhere.string() + ": expected an existing folder, got no folder " + (dir / "missing").string());
  fs::create_directory(dir / "sub");
  CHECK(error_of([&] { AtomicFile f(dir / "sub"); }) ==
        (dir / "sub").string() + ": expected a file path, got a folder");
  CHECK(dir.entries() == std::vector<std::string>{"sub"});
}

TEST_CASE("ensure_not_input") {
  TempDir dir("atomic");
  const fs::path input = dir.write("model.h5", "data");
  const fs::path other = dir.write("other.h5", "data");
  const std::vector<fs::path> inputs = {other, input};
  const std::string message = ": expected an output path different from every input, got the input file itself";

  CHECK(error_of([&] { snnsim::ensure_not_input(input, inputs); }) == input.string() + message);
  // Another spelling of the same file.
  const fs::path dotted = dir.path() / "." / "sub" / ".." / "model.h5";
  fs::create_directory(dir / "sub");
  CHECK(error_of([&] { snnsim::ensure_not_input(dotted, inputs); }) == dotted.string() + message);
  // A symbolic link and a hard link to the input.
  fs::create_symlink(input, dir / "link.h5");
  CHECK(error_of([&] { snnsim::ensure_not_input(dir / "link.h5", inputs); }) ==
        (dir / "link.h5").string() + message);
  fs::create_hard_link(input, dir / "hard.h5");
  CHECK(error_of([&] { snnsim::ensure_not_input(dir / "hard.h5", inputs); }) ==
        (dir / "hard.h5").string() + message);
  // An input that does not exist yet, named the same way.
  const std::vector<fs::path> future = {dir / "future.h5"};
  CHECK(error_of([&] { snnsim::ensure_not_input(dir / "sub" / ".." / "future.h5", future); }) ==
        (dir / "sub" / ".." / "future.h5").string() + message);

  // Different files, existing or not: fine.
  CHECK_NOTHROW(snnsim::ensure_not_input(dir / "result.h5", inputs));
  const fs::path copy = dir.write("copy.h5", "data");  // same contents, different file
  CHECK_NOTHROW(snnsim::ensure_not_input(copy, inputs));
  CHECK_NOTHROW(snnsim::ensure_not_input(input, std::vector<fs::path>{}));
}
