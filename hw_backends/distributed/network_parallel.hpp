// SPDX-License-Identifier: MIT
#pragma once
/// Network-parallel simulation of one trial over MPI ranks (and OpenMP threads inside each rank),
/// for spike-coupled networks (every projection Sparse with delay >= 1: the Brian2 and TOML
/// networks). Results are bit-identical to one process with any rank and thread count.
///
/// Scheme: every spiking population is cut into one contiguous neuron block per rank
/// (sim::Block), and each rank's block into one contiguous range per thread (the split trial's
/// NeuronRanges and SplitRows, hw_backends/common/split_trial.hpp). A rank keeps the synapses onto
/// its own neurons only. Contiguous blocks, rather than round-robin (NEST) or a graph partition,
/// because they keep the canonical summation order for free: the spike lists of the ranks,
/// concatenated in rank order, are the whole population's spikes in ascending neuron order, so
/// every target receives its additions in exactly the order one process uses (floating-point
/// addition is not associative; a different order would change the last bits). Their price is load
/// balance when activity is uneven across a population; the Brian2 networks are homogeneous.
///
/// Exchange (NEST's min-delay scheme): with D = the smallest delay in steps, a spike of step s is
/// first read at step s + D, so ranks simulate D steps on their own and then exchange the spikes
/// of those D steps in one collective (counts with MPI_Allgather, then neuron indices with
/// MPI_Allgatherv, uint32 each). Within the D steps the threads of a rank never wait for each
/// other either: everything they read is from earlier blocks. Input populations (Poisson or
/// generator trains, fixed in the network) are replicated: every rank reads them from the trains,
/// nothing is sent. Spike counts, synaptic events and rasters are gathered to rank 0 at the end of
/// the trial (integer sums and an ordered merge: exact), where the other operation counters follow
/// from them as in a split trial (add_split_counters).
#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "sim/backend.hpp"
#include "sim/distributed.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::hw_backends {

/// Where one rank's time went (seconds, accumulated over trials), measured with
/// Communicator::wtime (MPI_Wtime) on the rank's communicating thread:
///  - compute: simulating its neurons for D steps (up to the moment all its threads are done),
///    plus reading the replicated inputs;
///  - waiting: the spike-count MPI_Allgather. It cannot complete before the slowest rank arrives,
///    and its own transfer is a few bytes (latency only), so its time is the wait for the others;
///  - communication: packing, the MPI_Allgatherv of the spikes and unpacking them.
struct ExchangeTimes {
  double compute = 0, communication = 0, waiting = 0;
  std::int64_t exchanges = 0;
  std::int64_t spikes_sent = 0;      ///< this rank's spikes put into exchanges
  std::int64_t spikes_received = 0;  ///< all ranks' spikes gathered (own included)
};

class NetworkParallel {
 public:
  virtual ~NetworkParallel() = default;
  /// One trial. On rank 0, `record` (reset for the network) ends up as one process would have
  /// recorded it: spike counts, raster (options.raster) and counters (options.counters).
  /// Other ranks' records are left as they were. A collective: every rank calls it.
  virtual void run_trial(const sim::Stimulus& stimulus, const sim::RecordOptions& options, sim::TrialRecord& record,
                         ExchangeTimes& times) = 0;
  virtual nlohmann::json describe() const = 0;
};

/// Compiles for this rank of `comm` with `threads` OpenMP threads. Throws Error(network name,
/// "projections" or population, ...) when the network is not spike-coupled.
std::unique_ptr<NetworkParallel> compile_network_parallel(const sim::Network& net, const sim::Communicator& comm,
                                                          int threads);

}  // namespace snnsim::hw_backends
