// SPDX-License-Identifier: MIT
#pragma once
/// Network files in and out. An importer turns a file (Brian2-layout HDF5, TOML experiment, NIR)
/// into a sim::Network plus what to run it with; an exporter writes a Network in a toolchain's
/// format (NIR, Lava-dl NetX). Both are registry entries: adding a format touches its own folder
/// under models/ plus one line in models/registry.cpp.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sim/backend.hpp"
#include "sim/network.hpp"
#include "sim/registry.hpp"

namespace snnsim::models {

/// A loaded network and how to simulate it.
struct ImportedNetwork {
  std::unique_ptr<sim::Network> network;
  double dt_seconds = 0.0;   ///< 0 when the format has no physical time
  std::uint64_t seed = 0;    ///< for any randomness (Poisson sources, rule-based connectivity)
  sim::Stimulus stimulus;    ///< inputs the file supplies (may be empty)
  /// Populations whose spikes the file asks to record (`--spikes` output); empty: all.
  std::vector<std::string> record_spikes;
};

class NetworkImporter {
 public:
  virtual ~NetworkImporter() = default;
  virtual std::string_view name() const = 0;     ///< e.g. "brian2-h5", "toml", "nir"
  virtual std::string_view summary() const = 0;
  /// Whether this importer reads `path` (by extension and, for HDF5, its `format` attribute).
  virtual bool accepts(const std::filesystem::path& path) const = 0;
  /// Throws Error(file, field, expected, got) on bad input.
  virtual ImportedNetwork load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const = 0;
  /// load() with the file's seed replaced by `seed` (`snnsim run --seed`): formats with
  /// randomness (rule-based connectivity, Poisson sources) override this to draw from it.
  virtual ImportedNetwork load_seeded(const std::filesystem::path& path, const sim::NeuronRegistry& neurons,
                                      std::uint64_t seed) const {
    ImportedNetwork n = load(path, neurons);
    n.seed = seed;
    return n;
  }
};

struct ExportOptions {
  std::map<std::string, std::string, std::less<>> settings;
};

class Exporter {
 public:
  virtual ~Exporter() = default;
  virtual std::string_view name() const = 0;  ///< the format: "nir", "netx"
  virtual std::string_view summary() const = 0;
  /// Whether every population and projection can be expressed; if not, names the first that
  /// cannot and why (never a silent partial export).
  virtual sim::Support can_export(const sim::Network& net) const = 0;
  /// Writes atomically (temporary file + rename); throws Error on failure, leaving nothing behind.
  virtual void write(const sim::Network& net, const std::filesystem::path& path, const ExportOptions& options) const = 0;
};

using ImporterRegistry = sim::Registry<NetworkImporter>;
using ExporterRegistry = sim::Registry<Exporter>;

/// Every built-in importer and exporter (one line each in models/registry.cpp).
void register_builtin_importers(ImporterRegistry& registry);
void register_builtin_exporters(ExporterRegistry& registry);

/// The importer that accepts `path`, or Error naming the file and the formats known.
const NetworkImporter& importer_for(const ImporterRegistry& registry, const std::filesystem::path& path);

}  // namespace snnsim::models
