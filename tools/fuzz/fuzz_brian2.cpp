// SPDX-License-Identifier: MIT
// Fuzz target: the Brian2-layout network importer (models/brian2: Brian2H5Importer), raw or
// structured (fuzz_h5_target.hpp). A network that loads is simulated when small.
#include "models/brian2/brian2_h5.hpp"
#include "tools/fuzz/fuzz_h5_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  static const models::Brian2H5Importer importer;
  return fuzz::run_h5_target(data, size, [](const std::filesystem::path& path) {
    const models::ImportedNetwork n = importer.load(path, fuzz::registries().neurons);
    fuzz::simulate_if_small(*n.network);
  });
}
