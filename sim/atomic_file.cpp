// SPDX-License-Identifier: MIT
#include "sim/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "sim/error.hpp"

namespace snnsim {
namespace fs = std::filesystem;

namespace {

std::string errno_text(int err) { return std::strerror(err); }

/// The folder a target lives in ("." for a bare file name).
fs::path folder_of(const fs::path& target) {
  fs::path dir = target.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

void check_target(const fs::path& target) {
  const fs::path dir = folder_of(target);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(target.string(), "", "an existing folder", "no folder " + dir.string());
  }
  if (!target.has_filename() || fs::is_directory(target, ec)) {
    throw Error(target.string(), "", "a file path", "a folder");
  }
}

/// fsync by path: on Linux any descriptor of the inode flushes its dirty pages.
int fsync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = 0;
  if (::fsync(fd) != 0) err = errno;
  ::close(fd);
  return err;
}

/// Absolute, symlink-resolved (as far as the path exists) and normalised.
fs::path normalised(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  fs::path canonical = fs::weakly_canonical(abs, ec);
  return (ec ? abs : canonical).lexically_normal();
}

}  // namespace

namespace atomic_detail {

fs::path reserve_temp_file(const fs::path& target) {
  check_target(target);
  // One counter per process, so concurrent writers in one process never pick the same name; the
  // pid separates processes; O_EXCL makes a leftover from a crashed run with the same pid harmless.
  static std::atomic<unsigned long> counter{0};
  const fs::path dir = folder_of(target);
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "." + std::string at -O2.
  std::string prefix(".");
  prefix.append(target.filename().string()).append(".tmp.");
  prefix.append(std::to_string(::getpid())).append(".");
  for (int attempt = 0; attempt < 1000; ++attempt) {
    fs::path temp = dir / (prefix + std::to_string(counter.fetch_add(1)));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return temp;
    }
    if (errno != EEXIST) {
      throw Error(target.string(), "", "a writable folder",
                  "error creating " + temp.string() + ": " + errno_text(errno));
    }
  }
  throw Error(target.string(), "", "a free temporary file name", "1000 names in use");
}

void publish_temp_file(const fs::path& temp, const fs::path& target) {
  std::error_code ec;
  if (const int err = fsync_path(temp, O_RDONLY); err != 0) {
    fs::remove(temp, ec);
    throw Error(target.string(), "", "a file synced to disk",
                "error syncing " + temp.string() + ": " + errno_text(err));
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    fs::remove(temp, ec);
    throw Error(target.string(), "", "a replaceable file",
                "error renaming " + temp.string() + ": " + errno_text(err));
  }
  // Make the rename itself durable; a failure here cannot be undone and the file is in place, so
  // it is not reported.
  (void)fsync_path(folder_of(target), O_RDONLY | O_DIRECTORY);
}

}  // namespace atomic_detail

AtomicFile::AtomicFile(fs::path target)
    : target_(std::move(target)), temp_(atomic_detail::reserve_temp_file(target_)) {
  stream_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!stream_) {
    std::error_code ec;
    fs::remove(temp_, ec);
    throw Error(target_.string(), "", "a writable file", "error opening " + temp_.string());
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  if (stream_.is_open()) stream_.close();
  std::error_code ec;
  fs::remove(temp_, ec);
}

std::ostream& AtomicFile::stream() {
  if (committed_) throw Error(target_.string(), "", "an uncommitted file", "a committed file");
  return stream_;
}

void AtomicFile::commit() {
  if (committed_) throw Error(target_.string(), "", "one commit", "a second commit");
  stream_.flush();
  const bool write_ok = static_cast<bool>(stream_);
  stream_.close();
  if (!write_ok || stream_.fail()) {
    std::error_code ec;
    fs::remove(temp_, ec);
    committed_ = true;  // nothing left to clean up
    throw Error(target_.string(), "", "a complete write", "a write error on " + temp_.string());
  }
  committed_ = true;
  atomic_detail::publish_temp_file(temp_, target_);
}

void write_file_atomic(const fs::path& target, std::string_view contents) {
  AtomicFile file(target);
  file.stream().write(contents.data(), static_cast<std::streamsize>(contents.size()));
  file.commit();
}

void ensure_not_input(const fs::path& output, std::span<const fs::path> inputs) {
  std::error_code ec;
  const bool output_exists = fs::exists(output, ec);
  for (const fs::path& input : inputs) {
    bool same = false;
    if (output_exists && fs::exists(input, ec)) {
      same = fs::equivalent(output, input, ec) && !ec;
    } else {
      same = normalised(output) == normalised(input);
    }
    if (same) {
      throw Error(output.string(), "", "an output path different from every input",
                  "the input file itself");
    }
  }
}

}  // namespace snnsim
