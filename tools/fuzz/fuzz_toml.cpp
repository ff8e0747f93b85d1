// SPDX-License-Identifier: MIT
// Fuzz target: the TOML files snnsim reads today - energy tables (`snnsim run --energy-table`,
// sim/energy: load_energy_table) and Loihi chip descriptions (`--chip FILE.toml`,
// hw_backends/loihi: parse_chip). The first byte picks the reader.
#include <string>

#include "hw_backends/loihi/chip.hpp"
#include "sim/energy.hpp"
#include "tools/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snnsim;
  static const fuzz::ScratchFile scratch("table.toml");
  if (size == 0) return 0;
  const bool chip = data[0] & 1;
  return fuzz::expect_clean([&] {
    if (chip) {
      (void)hw_backends::loihi::parse_chip(std::string(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz.toml");
    } else {
      scratch.write(data + 1, size - 1);
      (void)sim::load_energy_table(scratch.path());
    }
  });
}
