// SPDX-License-Identifier: MIT
// The network-parallel engine (hw_backends/distributed) in one process: with the one-rank
// communicator and 1 or 3 threads it must record exactly what cpu_event records (spike counts,
// full rasters, every operation counter) on Brian2's CUBA and feed-forward networks and on a TOML
// chain with mixed delays (10, 5 and 1 steps: exchanges every step). Several ranks are tested
// through the binary under mpirun (tests/tools/mpi_test.cpp); this test also runs in the
// sanitizer build, which has no MPI. A network that is not spike-coupled is refused in one line.
#include <doctest/doctest.h>

#include <optional>

#include "hw_backends/distributed/network_parallel.hpp"
#include "models/brian2/brian2_h5.hpp"
#include "models/experiment/experiment.hpp"
#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/network.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/simulate.hpp"

using namespace snnsim;

namespace {

/// `brian2_spikes`: the spike total Brian2 itself records for the network, when there is one.
void check_same_as_cpu_event(const models::ImportedNetwork& n, std::optional<std::int64_t> brian2_spikes) {
  const sim::TrialRecord reference = test::simulate_one_trial(n, 1);
  const sim::Communicator one(sim::Launch{});
  std::int64_t spikes = 0;
  for (sim::PopulationId p = 0; p < n.network->population_count(); ++p) spikes += reference.total_spikes(p);
  REQUIRE(spikes > 0);  // the comparison below means something only with activity
  if (brian2_spikes) CHECK(spikes == *brian2_spikes);
  for (int threads : {1, 3}) {  // 3: uneven thread ranges
    CAPTURE(threads);
    const auto engine = hw_backends::compile_network_parallel(*n.network, one, threads);
    sim::RecordOptions options;
    options.raster = true;
    sim::TrialRecord record;
    record.reset(*n.network, options);
    hw_backends::ExchangeTimes times;
    engine->run_trial(n.stimulus, options, record, times);
    CHECK(record.spike_counts == reference.spike_counts);
    CHECK(record.raster == reference.raster);
    CHECK(record.counters == reference.counters);
    CHECK(times.exchanges > 0);
    CHECK(times.spikes_sent == times.spikes_received);  // one rank: it receives what it sent
  }
}

}  // namespace

TEST_CASE("network-parallel engine, one rank: CUBA and ff exactly as cpu_event, 1 or 3 threads") {
  // Brian2's own rasters of these files have these many spikes (tests/models/brian2/brian2_h5_test.cpp).
  check_same_as_cpu_event(models::Brian2H5Importer().load(test::brian2_peer("cuba.h5"), test::registries().neurons), 24065);
  check_same_as_cpu_event(models::Brian2H5Importer().load(test::brian2_peer("ff.h5"), test::registries().neurons), 159853);
}

TEST_CASE("network-parallel engine, one rank: a chain with delays of 10, 5 and 1 steps exactly as cpu_event") {
  const auto n = models::ExperimentImporter().load(
      std::string(SNNSIM_SOURCE_DIR) + "/models/experiment/examples/poisson_chain.toml", test::registries().neurons);
  check_same_as_cpu_event(n, std::nullopt);
  const sim::Communicator one(sim::Launch{});
  CHECK(hw_backends::compile_network_parallel(*n.network, one, 1)->describe().at("distributed").at(
            "exchange_every_steps") == 1);
}

TEST_CASE("network-parallel engine: a network that is not spike-coupled is refused with one line") {
  sim::Network net("dense", 10, sim::Precision::F32);
  const sim::PopulationId a = net.add_population(test::input_population("in", 3)),
                          b = net.add_population(test::spiking_population("lif", 2, "lif"));
  net.connect(a, b, {"fc", 0, sim::Conv1d{2, 3, 1, 0, std::vector<double>(6, 0.5), {}}});
  const sim::Communicator one(sim::Launch{});
  CHECK(test::error_of([&] { hw_backends::compile_network_parallel(net, one, 1); }) ==
        "dense: projection fc: expected sparse synapses with a delay of at least one step, to run over MPI, got a "
        "dense or identity projection");
}
