// SPDX-License-Identifier: MIT
#pragma once
/// SHA-256 of a file (OpenSSL's EVP interface), for the provenance of a run: which exact model
/// file produced the numbers.
#include <filesystem>
#include <string>

namespace snnsim::report {

/// Lower-case hex digest. Throws Error(path, "", "a readable file", ...) when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace snnsim::report
