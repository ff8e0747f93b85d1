// SPDX-License-Identifier: MIT
#include "models/lmuformer/golden.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/run.hpp"

namespace snnsim::models {

namespace {

class GoldenTrials final : public sim::TrialSource {
 public:
  GoldenTrials(const GoldenData& g, sim::PopulationId input, std::size_t per_sample)
      : g_(&g), input_(input), per_sample_(per_sample) {}
  std::size_t count() const override { return g_->samples; }
  void fill(std::size_t i, sim::Stimulus& s, std::vector<float>&) const override {
    s.values[input_] = std::span<const float>(g_->inputs.data() + i * per_sample_, per_sample_);
  }

 private:
  const GoldenData* g_;
  sim::PopulationId input_;
  std::size_t per_sample_;
};

}  // namespace

GoldenData load_golden(const LmuformerModel& model) {
  const h5::File file = h5::File::open_read(model.path);
  const LmuformerConfig& c = model.config;
  GoldenData g;
  const h5::Shape labels_shape = file.shape("/golden/labels");
  if (labels_shape.size() != 1 || labels_shape[0] == 0)
    throw Error(model.path.string(), "/golden/labels", "shape [N] with N >= 1", "shape " + h5::shape_str(labels_shape));
  const std::size_t n = g.samples = labels_shape[0];
  const auto T = static_cast<std::size_t>(c.steps);
  g.labels = file.read<std::int64_t>("/golden/labels").data;
  g.inputs = file.read<float>("/golden/inputs", {n, T, c.features}).data;
  g.logits = file.read<float>("/golden/logits", {n, c.classes}).data;
  g.logits_cumulative = file.read<float>("/golden/logits_cumulative", {n, T, c.classes}).data;
  g.fragile = file.read<std::uint8_t>("/golden/fragile", {n}).data;
  for (const std::string& layer : c.spiking_layers)
    g.spikes[layer] = file.read<std::int64_t>("/golden/spikes/" + layer, {n, T}).data;
  if (file.is_group("/golden/debug/spikes")) {
    for (const std::string& layer : c.spiking_layers) {
      const std::string path = "/golden/debug/spikes/" + layer;
      const h5::Shape s = file.shape(path);
      if (s.size() != 3 || s[1] != T || s[0] > n)
        throw Error(model.path.string(), path, "shape [D, T, C]", "shape " + h5::shape_str(s));
      g.debug_samples = s[0];
      g.debug_spikes[layer] = file.read<std::uint8_t>(path).data;
    }
  }
  return g;
}

VerifyResult verify_golden(const LmuformerModel& model, const sim::CompiledNetwork& compiled,
                           const GoldenData& golden, int threads) {
  const sim::Network& net = *model.network;
  const LmuformerConfig& c = model.config;
  const auto T = static_cast<std::size_t>(c.steps);
  VerifyResult r;
  r.samples = golden.samples;
  std::vector<std::string> problems(golden.samples);
  std::vector<double> logit_err(golden.samples, 0), cum_err(golden.samples, 0);
  std::vector<std::uint8_t> debug_ok(golden.samples, 1), correct(golden.samples, 0);

  GoldenTrials trials(golden, model.input, T * c.features);
  sim::RunOptions options;
  options.threads = threads;
  options.record.raster = golden.debug_samples > 0;
  options.record.counters = false;
  sim::run_trials(net, compiled, trials, options, [&](std::size_t i, const sim::TrialRecord& rec) {
    const std::vector<float> logits = mean_logits(rec, c.classes);
    const std::vector<float> cumulative = cumulative_logits(rec, c.classes);
    correct[i] = predicted_class(logits) == golden.labels[i];
    for (std::size_t k = 0; k < c.classes; ++k)
      logit_err[i] = std::max(logit_err[i], std::abs(double(logits[k]) - golden.logits[i * c.classes + k]));
    for (std::size_t k = 0; k < T * c.classes; ++k)
      cum_err[i] = std::max(cum_err[i], std::abs(double(cumulative[k]) - golden.logits_cumulative[i * T * c.classes + k]));
    std::string& problem = problems[i];
    for (const auto& [layer, counts] : golden.spikes) {
      const sim::PopulationId id = *net.find(layer);
      for (std::size_t t = 0; t < T && problem.empty(); ++t)
        if (rec.spikes(id, static_cast<sim::TimeStep>(t)) != counts[i * T + t])
          problem = fmt::format("sample {}: {} fires {} spikes at step {}, golden {}", i, layer,
                                rec.spikes(id, static_cast<sim::TimeStep>(t)), t, counts[i * T + t]);
    }
    if (problem.empty() && logit_err[i] > kLogitTolerance)
      problem = fmt::format("sample {}: logits differ by {:.3g} (tolerance {:g})", i, logit_err[i], kLogitTolerance);
    if (problem.empty() && cum_err[i] > kLogitTolerance)
      problem = fmt::format("sample {}: logits_cumulative differ by {:.3g}", i, cum_err[i]);
    if (i < golden.debug_samples) {
      for (const auto& [layer, raster] : golden.debug_spikes) {
        const sim::PopulationId id = *net.find(layer);
        const std::size_t C = net.population(id).size;
        std::vector<std::uint8_t> mine(T * C, 0);
        for (const sim::SpikeEvent& e : rec.raster[id]) mine[static_cast<std::size_t>(e.step) * C + e.neuron] = 1;
        if (!std::equal(mine.begin(), mine.end(), raster.begin() + static_cast<std::ptrdiff_t>(i * T * C))) {
          debug_ok[i] = 0;
          if (problem.empty()) problem = fmt::format("sample {}: the raster of {} differs", i, layer);
        }
      }
    }
  });

  for (std::size_t i = 0; i < golden.samples; ++i) {
    r.correct += correct[i];
    if (golden.fragile[i]) continue;
    ++r.robust;
    r.max_logit_error = std::max(r.max_logit_error, logit_err[i]);
    r.max_cumulative_error = std::max(r.max_cumulative_error, cum_err[i]);
    if (problems[i].empty()) ++r.matched;
    else if (r.mismatches.size() < 10) r.mismatches.push_back(problems[i]);
    if (i < golden.debug_samples) {
      ++r.debug_checked;
      r.debug_matched += debug_ok[i];
    }
  }
  return r;
}

}  // namespace snnsim::models
