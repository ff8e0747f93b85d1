// SPDX-License-Identifier: MIT
#pragma once
/// SHA-256 of a file (OpenSSL's EVP interface), for the provenance of a run: which exact model
/// file produced the numbers.
#include <filesystem>
#include <span>
#include <string>

namespace snnsim::report {

/// Lower-case hex digest. Throws Error(path, "", "a readable file", ...) when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

/// Lower-case hex digest of bytes in memory (e.g. a dataset as loaded, compared between MPI ranks).
std::string bytes_sha256(std::span<const unsigned char> bytes);

}  // namespace snnsim::report
