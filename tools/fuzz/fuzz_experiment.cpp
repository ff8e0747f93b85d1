// SPDX-License-Identifier: MIT
// Fuzz target: the TOML experiment parser (models/experiment: ExperimentImporter, the
// snnsim-experiment-v1 format `snnsim run --network X.toml` reads). A network that loads is
// simulated when small (fuzz_h5_target.hpp's oracle: both float backends agree).
#include "models/experiment/experiment.hpp"
#define SNNSIM_FUZZ_STRUCTURED 0
#include "tools/fuzz/fuzz_h5_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  static const models::ExperimentImporter importer;
  static const fuzz::ScratchFile scratch("experiment.toml");
  scratch.write(data, size);
  return fuzz::expect_clean([] {
    const models::ImportedNetwork n = importer.load(scratch.path(), fuzz::registries().neurons);
    fuzz::simulate_if_small(*n.network);
  });
}
