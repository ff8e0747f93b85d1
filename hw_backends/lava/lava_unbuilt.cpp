// SPDX-License-Identifier: MIT
// The "lava" backend of a build without the Lava bridge (SNNSIM_WITH_LAVA=OFF): it runs nothing
// and says in one line how to get the bridge, instead of "no such backend".
#include "hw_backends/lava/lava_backend.hpp"

#include "sim/error.hpp"

namespace snnsim::hw_backends::lava {

namespace {
const char* const kHow =
    "a snnsim built with the Lava bridge (cmake -DSNNSIM_WITH_LAVA=ON, needs python3-dev) and Lava installed "
    "(pip install lava-nc)";
}

double LavaBackend::conformance_tolerance() const { return 0.0; }

sim::Support LavaBackend::supports(const sim::Network&) const {
  return {false, std::string("the Lava bridge is not built: needs ") + kHow};
}

std::unique_ptr<sim::CompiledNetwork> LavaBackend::compile(const sim::Network&, const sim::BackendOptions&) const {
  throw Error("backend lava", "", kHow, "a build without it");
}

}  // namespace snnsim::hw_backends::lava
