// SPDX-License-Identifier: MIT
#include <iostream>

#include <fmt/format.h>

#include "models/lmuformer/golden.hpp"
#include "sim/run.hpp"
#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

namespace {

struct VerifyArgs {
  std::string model = SNNSIM_DEFAULT_MODEL;
  std::string backend = "cpu_event";
  int threads = 0;
};

int verify(const VerifyArgs& args, const Registries& registries) {
  const sim::Backend& backend = registries.backends.get(args.backend, "snnsim verify", "--backend");
  const models::LmuformerModel model = models::load_lmuformer(args.model, registries.neurons);
  const models::GoldenData golden = models::load_golden(model);
  const auto compiled = backend.compile(*model.network, {});
  const models::VerifyResult r = models::verify_golden(model, *compiled, golden, sim::resolve_threads(args.threads));
  fmt::print("{}: backend {}: {}/{} robust samples match ({} fragile skipped); debug rasters {}/{}\n", args.model,
             backend.name(), r.matched, r.robust, r.samples - r.robust, r.debug_matched, r.debug_checked);
  fmt::print("max |logit error| {:.2e}, max |logits_cumulative error| {:.2e} (tolerance {:g}); accuracy {}/{}\n",
             r.max_logit_error, r.max_cumulative_error, models::kLogitTolerance, r.correct, r.samples);
  for (const std::string& m : r.mismatches) fmt::print("  mismatch: {}\n", m);
  fmt::print("{}\n", r.ok() ? "PASS" : "FAIL");
  return r.ok() ? 0 : 1;
}

}  // namespace

Command add_verify_command(CLI::App& app, const Registries& registries) {
  auto args = std::make_shared<VerifyArgs>();
  app.add_option("--model", args->model, "model file with a /golden group")->capture_default_str();
  app.add_option("--backend", args->backend, "backend: " + registries.backends.joined_names())->capture_default_str();
  app.add_option("--threads", args->threads, "OpenMP threads (0: all cores)");
  app.footer("Exit status: 0 when every robust sample matches (spike counts exactly, logits within 1e-4),\n"
             "1 when one does not, 2 on bad input.");
  return [args, &registries] { return verify(*args, registries); };
}

}  // namespace snnsim::tools
