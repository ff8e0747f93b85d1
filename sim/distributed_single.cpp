// SPDX-License-Identifier: MIT
// Communicator of a build without MPI (-DSNNSIM_WITH_MPI=OFF): one process, every collective a
// copy. Launched by mpirun with several ranks, it refuses (check_mpi_available) rather than let
// every rank simulate everything and write the same files.
#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "sim/distributed.hpp"

namespace snnsim::sim {

Communicator::Communicator(const Launch& launch) { check_mpi_available(launch, built_with_mpi()); }
Communicator::~Communicator() = default;
bool Communicator::built_with_mpi() { return false; }
void Communicator::barrier() const {}

void Communicator::allgather(std::span<const std::int32_t> mine, std::span<std::int32_t> all) const {
  std::copy(mine.begin(), mine.end(), all.begin());
}

void Communicator::allgatherv(std::span<const std::uint32_t> mine, std::span<const std::int32_t>,
                              std::span<std::uint32_t> all) const {
  std::copy(mine.begin(), mine.end(), all.begin());
}

void Communicator::reduce_sum(std::span<std::int64_t>) const {}

std::vector<std::vector<std::int64_t>> Communicator::gather(std::span<const std::int64_t> mine) const {
  return {std::vector<std::int64_t>(mine.begin(), mine.end())};
}
std::vector<std::vector<double>> Communicator::gather(std::span<const double> mine) const {
  return {std::vector<double>(mine.begin(), mine.end())};
}
std::vector<std::vector<float>> Communicator::gather(std::span<const float> mine) const {
  return {std::vector<float>(mine.begin(), mine.end())};
}

double Communicator::wtime() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Communicator::abort(int status) const { std::exit(status); }
void Communicator::broadcast_from(int, std::string&) const {}
Communicator::Failing Communicator::failing(bool failed) const { return {failed ? 0 : 1, failed}; }

}  // namespace snnsim::sim
