// SPDX-License-Identifier: MIT
#pragma once
#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

/// Adds `snnsim bench lmuformer`; when it is chosen on the command line, `selected` becomes its run.
void add_bench_lmuformer(CLI::App& bench_app, const Registries& registries, Command& selected);

}  // namespace snnsim::tools
