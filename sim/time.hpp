// SPDX-License-Identifier: MIT
#pragma once
#include <cstdint>

namespace snnsim::sim {

/// Simulation time in integer steps of the run's dt (an integer clock keeps event order exact).
using TimeStep = std::int64_t;

/// The arithmetic a network is simulated in. The LMUFormer reference is float32; the Brian2
/// peers integrate in float64.
enum class Precision { F32, F64 };

inline const char* to_string(Precision p) { return p == Precision::F32 ? "float32" : "float64"; }

}  // namespace snnsim::sim
