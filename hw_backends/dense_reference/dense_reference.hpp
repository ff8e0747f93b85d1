// SPDX-License-Identifier: MIT
#pragma once
/// dense_reference: the time-stepped dense oracle. Every projection is evaluated as a dense
/// matrix-vector product at every step over all source neurons (spikes as 0/1 values), in the
/// summation order every backend shares (sim/network.hpp), so an event-driven backend must
/// agree with it bit for bit. Slow on purpose: clarity over speed.
#include "sim/backend.hpp"

namespace snnsim::hw_backends {

class DenseReferenceBackend final : public sim::Backend {
 public:
  std::string_view name() const override { return "dense_reference"; }
  std::string_view summary() const override {
    return "time-stepped dense reference: every synapse every step; the oracle for other backends";
  }
  sim::Support supports(const sim::Network& net) const override;
  std::unique_ptr<sim::CompiledNetwork> compile(const sim::Network& net,
                                                const sim::BackendOptions& options) const override;
};

}  // namespace snnsim::hw_backends
