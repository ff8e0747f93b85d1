// SPDX-License-Identifier: MIT
#pragma once
/// Loading a TOML experiment that should be refused.
#include <string>
#include <string_view>

#include "models/experiment/experiment.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

namespace snnsim::test {

/// Writes `toml` as dir/name and loads it: the error's message, or "" when it loads.
inline std::string experiment_error(const TempDir& dir, std::string_view name, const std::string& toml) {
  const auto path = dir.write(name, toml);
  return error_of([&] { (void)models::ExperimentImporter().load(path, registries().neurons); });
}

}  // namespace snnsim::test
