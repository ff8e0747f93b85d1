// SPDX-License-Identifier: MIT
#pragma once
/// Loading a TOML experiment that should be refused.
#include <string>

#include "models/experiment/experiment.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

namespace snnsim::test {

/// Writes `toml` as dir/x.toml and loads it: the error's message, or "" when it loads.
inline std::string experiment_error(const TempDir& dir, const std::string& toml) {
  const auto path = dir.write("x.toml", toml);
  return error_of([&] { (void)models::ExperimentImporter().load(path, registries().neurons); });
}

}  // namespace snnsim::test
