// SPDX-License-Identifier: MIT
// Fuzz target: the golden-layout HDF5 model loader (models/lmuformer: load_lmuformer), raw or
// structured (fuzz_h5_target.hpp). A model that loads is simulated when small.
#include "models/lmuformer/lmuformer.hpp"
#include "tools/fuzz/fuzz_h5_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  return fuzz::run_h5_target(data, size, [](const std::filesystem::path& path) {
    const models::LmuformerModel model = models::load_lmuformer(path, fuzz::registries().neurons);
    fuzz::simulate_if_small(*model.network);
  });
}
