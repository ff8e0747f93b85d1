// SPDX-License-Identifier: MIT
#include "sim/backend.hpp"

#include <nlohmann/json.hpp>

namespace snnsim::sim {

nlohmann::json CompiledNetwork::describe() const { return nlohmann::json::object(); }

}  // namespace snnsim::sim
