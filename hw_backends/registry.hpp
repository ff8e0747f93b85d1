// SPDX-License-Identifier: MIT
#pragma once
#include "sim/backend.hpp"

namespace snnsim::hw_backends {

/// Adds every backend built into this binary to `registry` (one line each in registry.cpp).
void register_builtin_backends(sim::BackendRegistry& registry);

}  // namespace snnsim::hw_backends
