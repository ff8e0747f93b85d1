// SPDX-License-Identifier: MIT
#pragma once
/// snnsim's one error type. Every bad input is reported as a single line that names where the
/// problem is (file or command), which field, what was expected and what was found, so a user
/// can fix it without reading the code. The CLI prints what() and exits with status 2.
#include <stdexcept>
#include <string>
#include <utility>

namespace snnsim {

class Error : public std::runtime_error {
 public:
  /// `source`: a file path or a command; `field`: the dataset, attribute, key or option.
  Error(std::string source, std::string field, std::string expected, std::string got)
      : std::runtime_error(format(source, field, expected, got)),
        source_(std::move(source)),
        field_(std::move(field)),
        expected_(std::move(expected)),
        got_(std::move(got)) {}

  const std::string& source() const noexcept { return source_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& expected() const noexcept { return expected_; }
  const std::string& got() const noexcept { return got_; }

 private:
  static std::string format(const std::string& source, const std::string& field,
                            const std::string& expected, const std::string& got) {
    std::string s = source;
    if (!field.empty()) s += ": " + field;
    return s + ": expected " + expected + ", got " + got;
  }

  std::string source_, field_, expected_, got_;
};

}  // namespace snnsim
