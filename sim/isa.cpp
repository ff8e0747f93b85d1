// SPDX-License-Identifier: MIT
#include "sim/isa.hpp"

namespace snnsim::sim {

std::vector<Isa> supported_isas() {
  std::vector<Isa> isas;
#ifdef SNNSIM_X86_ISAS
  if (__builtin_cpu_supports("avx512f")) isas.push_back(Isa::avx512);
  if (__builtin_cpu_supports("avx2")) isas.push_back(Isa::avx2);
#endif
  isas.push_back(Isa::baseline);
  return isas;
}

Isa best_isa() { return supported_isas().front(); }

}  // namespace snnsim::sim
