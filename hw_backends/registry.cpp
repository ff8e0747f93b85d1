// SPDX-License-Identifier: MIT
#include "hw_backends/registry.hpp"

#include "hw_backends/cpu_event/cpu_event.hpp"
#include "hw_backends/dense_reference/dense_reference.hpp"
#include "hw_backends/lava/lava_backend.hpp"
#include "hw_backends/loihi/loihi_backend.hpp"

namespace snnsim::hw_backends {

void register_builtin_backends(sim::BackendRegistry& registry) {
  registry.add(std::make_unique<CpuEventBackend>());
  registry.add(std::make_unique<DenseReferenceBackend>());
  registry.add(std::make_unique<lava::LavaBackend>());  // without SNNSIM_WITH_LAVA: says how to get it
  registry.add(std::make_unique<LoihiBackend>());
}

}  // namespace snnsim::hw_backends
