// SPDX-License-Identifier: MIT
#pragma once
/// The time-stepped integer reference of a Program: deliberately plain code, separate from the
/// event-driven engine. Every chip step it recomputes every compartment's dendritic sums from the
/// full spike history, over every source neuron and tap (no event lists, no ring buffers), then
/// applies each group's weight exponent and the CUBA update. The engine must match it bit for bit
/// (tests/hw_backends/loihi/bit_exact_test.cpp).
#include "hw_backends/loihi/trial.hpp"

namespace snnsim::hw_backends::loihi {

void run_reference(const Program& p, const TrialInput& input, TrialOutput& out);

}  // namespace snnsim::hw_backends::loihi
