// SPDX-License-Identifier: MIT
// Communicator over MPI_COMM_WORLD (built with -DSNNSIM_WITH_MPI=ON). The only file that includes
// mpi.h. Errors inside MPI keep MPI's default handler (MPI_ERRORS_ARE_FATAL: the job ends).
#include <mpi.h>

#include <chrono>
#include <cstdlib>

#include "sim/distributed.hpp"
#include "sim/error.hpp"

namespace snnsim::sim {

namespace {

int to_int(std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::length_error("MPI message longer than INT_MAX elements");
  return static_cast<int>(n);
}

/// MPI's count/displacement arrays of a gather of `counts` elements per rank.
std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> d(counts.size(), 0);
  long long at = 0;
  for (std::size_t q = 0; q < counts.size(); ++q) {
    d[q] = to_int(static_cast<std::size_t>(at));
    at += counts[q];
  }
  return d;
}

template <class T>
std::vector<std::vector<T>> gather_to_root(std::span<const T> mine, MPI_Datatype type, int rank, int size) {
  int n = to_int(mine.size());
  std::vector<int> counts(rank == 0 ? static_cast<std::size_t>(size) : 0);
  MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs = displacements(counts);
  std::vector<T> flat;
  if (rank == 0) flat.resize(counts.empty() ? 0 : static_cast<std::size_t>(displs.back()) + static_cast<std::size_t>(counts.back()));
  MPI_Gatherv(mine.data(), n, type, flat.data(), counts.data(), displs.data(), type, 0, MPI_COMM_WORLD);
  std::vector<std::vector<T>> out;
  for (std::size_t q = 0; q < counts.size(); ++q)
    out.emplace_back(flat.begin() + displs[q], flat.begin() + displs[q] + counts[q]);
  return out;
}

}  // namespace

Communicator::Communicator(const Launch& launch) {
  check_mpi_available(launch, built_with_mpi());
  if (!launch.by_mpi_launcher) return;
  int ready = 0;
  MPI_Initialized(&ready);
  if (!ready) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    initialised_mpi_ = true;
  }
  uses_mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Communicator::~Communicator() {
  if (initialised_mpi_) MPI_Finalize();
}

bool Communicator::built_with_mpi() { return true; }

void Communicator::barrier() const {
  if (uses_mpi_) MPI_Barrier(MPI_COMM_WORLD);
}

void Communicator::allgather(std::span<const std::int32_t> mine, std::span<std::int32_t> all) const {
  if (!uses_mpi_) {
    std::copy(mine.begin(), mine.end(), all.begin());
    return;
  }
  MPI_Allgather(mine.data(), to_int(mine.size()), MPI_INT32_T, all.data(), to_int(mine.size()), MPI_INT32_T,
                MPI_COMM_WORLD);
}

void Communicator::allgatherv(std::span<const std::uint32_t> mine, std::span<const std::int32_t> counts,
                              std::span<std::uint32_t> all) const {
  if (!uses_mpi_) {
    std::copy(mine.begin(), mine.end(), all.begin());
    return;
  }
  const std::vector<int> n(counts.begin(), counts.end());
  const std::vector<int> displs = displacements(n);
  MPI_Allgatherv(mine.data(), to_int(mine.size()), MPI_UINT32_T, all.data(), n.data(), displs.data(), MPI_UINT32_T,
                 MPI_COMM_WORLD);
}

void Communicator::reduce_sum(std::span<std::int64_t> values) const {
  if (!uses_mpi_ || size_ == 1) return;
  // In chunks: MPI counts are int.
  constexpr std::size_t kChunk = std::size_t{1} << 28;
  for (std::size_t at = 0; at < values.size(); at += kChunk) {
    const int n = to_int(std::min(kChunk, values.size() - at));
    if (rank_ == 0)
      MPI_Reduce(MPI_IN_PLACE, values.data() + at, n, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    else
      MPI_Reduce(values.data() + at, nullptr, n, MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  }
}

std::vector<std::vector<std::int64_t>> Communicator::gather(std::span<const std::int64_t> mine) const {
  if (!uses_mpi_) return {std::vector<std::int64_t>(mine.begin(), mine.end())};
  return gather_to_root(mine, MPI_INT64_T, rank_, size_);
}

std::vector<std::vector<double>> Communicator::gather(std::span<const double> mine) const {
  if (!uses_mpi_) return {std::vector<double>(mine.begin(), mine.end())};
  return gather_to_root(mine, MPI_DOUBLE, rank_, size_);
}

std::vector<std::vector<float>> Communicator::gather(std::span<const float> mine) const {
  if (!uses_mpi_) return {std::vector<float>(mine.begin(), mine.end())};
  return gather_to_root(mine, MPI_FLOAT, rank_, size_);
}

double Communicator::wtime() const {
  if (uses_mpi_) return MPI_Wtime();
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Communicator::abort(int status) const {
  if (uses_mpi_) MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

void Communicator::broadcast_from(int from, std::string& text) const {
  if (!uses_mpi_ || size_ == 1) return;
  int n = to_int(text.size());
  MPI_Bcast(&n, 1, MPI_INT, from, MPI_COMM_WORLD);
  text.resize(static_cast<std::size_t>(n));
  MPI_Bcast(text.data(), n, MPI_CHAR, from, MPI_COMM_WORLD);
}

Communicator::Failing Communicator::failing(bool failed) const {
  if (!uses_mpi_ || size_ == 1) return {failed ? 0 : size_, failed};
  // Minimum of (rank if failed else size) and of (1 if failed else 0): the lowest failing rank,
  // and 1 exactly when every rank failed.
  const int mine[2] = {failed ? rank_ : size_, failed ? 1 : 0};
  int min[2] = {size_, 0};
  MPI_Allreduce(mine, min, 2, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return {min[0], min[1] == 1};
}

}  // namespace snnsim::sim
