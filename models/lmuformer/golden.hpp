// SPDX-License-Identifier: MIT
#pragma once
/// The /golden group of a model file (outputs and per-layer spike counts of the reference
/// PyTorch model) and the comparison of a simulation against it: per-layer per-step spike
/// counts exactly, logits and logits_cumulative within 1e-4, on every sample not marked fragile;
/// the full rasters of the debug samples exactly. Golden README sections 6 and 8.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/lmuformer/lmuformer.hpp"
#include "sim/backend.hpp"

namespace snnsim::models {

struct GoldenData {
  std::size_t samples = 0;
  std::vector<float> inputs;              ///< [N][T][F]
  std::vector<std::int64_t> labels;       ///< [N]
  std::vector<float> logits;              ///< [N][C]
  std::vector<float> logits_cumulative;   ///< [N][T][C]
  std::vector<std::uint8_t> fragile;      ///< [N]
  std::map<std::string, std::vector<std::int64_t>> spikes;        ///< layer -> [N][T]
  std::size_t debug_samples = 0;
  std::map<std::string, std::vector<std::uint8_t>> debug_spikes;  ///< layer -> [D][T][C]
};

/// Reads /golden of `model`'s file, checking every shape against the model.
GoldenData load_golden(const LmuformerModel& model);

inline constexpr double kLogitTolerance = 1e-4;

struct VerifyResult {
  std::size_t samples = 0, robust = 0, matched = 0;
  std::size_t debug_checked = 0, debug_matched = 0;
  double max_logit_error = 0, max_cumulative_error = 0;  ///< over robust samples
  std::size_t correct = 0;  ///< argmax(logits) == label, over all samples
  std::vector<std::string> mismatches;  ///< the first few, one line each
  bool ok() const { return matched == robust && debug_matched == debug_checked; }
};

/// Simulates every golden sample with `compiled` and compares.
VerifyResult verify_golden(const LmuformerModel& model, const sim::CompiledNetwork& compiled,
                           const GoldenData& golden, int threads);

}  // namespace snnsim::models
