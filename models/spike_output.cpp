// SPDX-License-Identifier: MIT
#include "models/spike_output.hpp"

#include <fmt/format.h>

#include "sim/atomic_file.hpp"
#include "sim/hdf5/hdf5.hpp"

namespace snnsim::models {

void write_spikes(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record,
                  double dt_seconds) {
  const std::string ext = path.extension().string();
  if (ext == ".h5" || ext == ".hdf5" || ext == ".sonata")
    write_spikes_sonata(path, net, record, dt_seconds);
  else
    write_spikes_csv(path, net, record);
}

void write_spikes_csv(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record) {
  std::string text = "population,neuron,step\n";
  for (sim::PopulationId p = 0; p < record.raster.size(); ++p)
    for (const sim::SpikeEvent& e : record.raster[p]) fmt::format_to(std::back_inserter(text), "{},{},{}\n", net.population(p).name, e.neuron, e.step);
  write_file_atomic(path, text);
}

void write_spikes_sonata(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record,
                         double dt_seconds) {
  h5::AtomicH5Writer writer(path);
  h5::Group spikes = writer.root().create_group("spikes");
  spikes.write_attr("", "dt_ms", dt_seconds * 1e3);
  for (sim::PopulationId p = 0; p < record.raster.size(); ++p) {
    const auto& raster = record.raster[p];
    std::vector<std::int64_t> ids(raster.size());
    std::vector<double> ms(raster.size());
    for (std::size_t k = 0; k < raster.size(); ++k) {
      ids[k] = raster[k].neuron;
      ms[k] = static_cast<double>(raster[k].step) * dt_seconds * 1e3;
    }
    h5::Group g = spikes.create_group(net.population(p).name);
    g.write_attr("", "sorting", "by_time");
    g.write<std::int64_t>("node_ids", ids, {ids.size()}, true);
    g.write<double>("timestamps", ms, {ms.size()}, true);
    g.write_attr("timestamps", "units", "ms");
  }
  writer.commit();
}

}  // namespace snnsim::models
