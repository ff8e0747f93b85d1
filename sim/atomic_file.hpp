// SPDX-License-Identifier: MIT
#pragma once
/// Atomic output files: everything snnsim writes goes to a temporary file in the target's folder
/// and is renamed over the target only when complete (after fsync), so a crash, an exception or a
/// full disk never leaves a half-written file at the target path.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <span>
#include <string_view>

namespace snnsim {

/// A text or binary output file that appears at `target` only on commit().
/// Destroyed without commit(), it removes its temporary file and leaves the target untouched.
class AtomicFile {
 public:
  /// Creates `.<name>.tmp.<pid>.<counter>` next to `target`. Throws Error(target, "",
  /// "an existing folder", "no folder <dir>") when the folder is missing.
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  /// The stream to write to (binary mode: no newline translation).
  std::ostream& stream();
  /// Flushes, fsyncs and renames the temporary file over the target. Throws Error on any write
  /// failure (the temporary file is then removed and the target left as it was).
  void commit();

  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& temp_path() const noexcept { return temp_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream stream_;
  bool committed_ = false;
};

/// Writes `contents` to `target` atomically (AtomicFile + commit).
void write_file_atomic(const std::filesystem::path& target, std::string_view contents);

/// Throws Error(output, "", "an output path different from every input", "the input file itself")
/// when `output` names the same file as one of `inputs` (std::filesystem::equivalent when both
/// exist, otherwise the same normalised absolute path).
void ensure_not_input(const std::filesystem::path& output,
                      std::span<const std::filesystem::path> inputs);

/// Building blocks shared by AtomicFile and the HDF5 writer (sim/hdf5).
namespace atomic_detail {

/// Checks that `target` names a file in an existing folder, then creates an empty, new temporary
/// file `.<name>.tmp.<pid>.<counter>` in that folder (O_EXCL) and returns its path.
std::filesystem::path reserve_temp_file(const std::filesystem::path& target);

/// fsyncs `temp`, renames it over `target` and fsyncs the folder. On failure removes `temp` and
/// throws Error(target, ...).
void publish_temp_file(const std::filesystem::path& temp, const std::filesystem::path& target);

}  // namespace atomic_detail
}  // namespace snnsim
