// SPDX-License-Identifier: MIT
#pragma once
/// The one door to MPI: a communicator over the ranks of a run (`mpirun -np N snnsim ...`).
///
/// Everything else in snnsim talks to this class, never to MPI: the engine and the commands have
/// no #ifdef and no MPI type. Two implementations, chosen by CMake (SNNSIM_WITH_MPI):
/// distributed_mpi.cpp (OpenMPI, MPI_COMM_WORLD) and distributed_single.cpp (one process: every
/// collective is a copy). The same binary runs with or without mpirun: MPI is joined only when an
/// MPI launcher started the process (its environment says so). A plain `snnsim run` does not call
/// MPI_Init, because OpenMPI's singleton start costs about 0.5 s per process (measured on the CI
/// machine) and the test suite starts snnsim hundreds of times.
///
/// Failures: a rank that fails (bad input file, inputs that differ between ranks) must not leave the
/// others blocked in a collective. Every phase that may fail runs inside all_or_none(): the ranks
/// agree on the outcome, and if any rank failed, every rank throws the same Failure (the lowest
/// failing rank's one-line message, its exit status). Rank 0 alone prints it; all exit with it.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace snnsim::sim {

/// How the process was started. An MPI launcher (OpenMPI's mpirun/PMIx, MPICH's hydra, Slurm's
/// srun) sets its rank and size in the environment.
struct Launch {
  bool by_mpi_launcher = false;
  int rank = 0, size = 1;
};

/// Reads the launcher's variables through `getenv` (injected: a pure function, testable).
Launch launch_from_environment(const std::function<const char*(const char*)>& getenv);

/// Throws Error("mpirun", "MPI", ...) when several ranks were launched but this binary was built
/// without MPI (each rank would simulate everything and write the same files): "MPI missing at
/// run time".
void check_mpi_available(const Launch& launch, bool built_with_mpi);

/// A one-line failure with the exit status it ends the run with (2 bad input, 3 internal error).
class Failure : public std::runtime_error {
 public:
  Failure(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

class Communicator {
 public:
  /// Joins MPI (MPI_Init_thread, funneled: only the thread that calls the collectives uses MPI)
  /// when `launch` says an MPI launcher started us, else a single process. Throws Error when
  /// several ranks were launched and MPI is not built in.
  explicit Communicator(const Launch& launch);
  /// Finalises MPI if this object initialised it.
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  static bool built_with_mpi();
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  /// Started by an MPI launcher (also with one rank): the distributed code paths are taken.
  bool uses_mpi() const { return uses_mpi_; }

  /// Runs `phase` on every rank and agrees on its outcome (a collective: every rank must call).
  /// When it throws on any rank, every rank throws the same Failure: the lowest failing rank's
  /// message ("rank R of N: " first when some ranks succeeded) and status (2 for snnsim::Error and Failure(2),
  /// 3 for any other exception).
  template <class F>
  auto all_or_none(F&& phase) const -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
      agree(capture([&] { phase(); }));
    } else {
      std::optional<R> result;
      agree(capture([&] { result.emplace(phase()); }));
      return std::move(*result);
    }
  }
  /// Collective: every rank must hold the same `value` (e.g. a digest of its input file). A rank
  /// whose value differs from rank 0's fails with Error(source, field, "the same ... as rank 0
  /// (<rank 0's value>)", <its value>), agreed as in all_or_none.
  void expect_same(const std::string& value, const std::string& source, const std::string& field) const;

  // ---- collectives (with one process: copies) ---------------------------------------------
  void barrier() const;
  /// Every rank's `mine` (same length on every rank), concatenated in rank order, on every rank.
  void allgather(std::span<const std::int32_t> mine, std::span<std::int32_t> all) const;
  /// Every rank's `mine` (rank q sends counts[q] values), concatenated in rank order, on every rank.
  void allgatherv(std::span<const std::uint32_t> mine, std::span<const std::int32_t> counts,
                  std::span<std::uint32_t> all) const;
  /// Element-wise integer sum over ranks, in place, the result on rank 0 (exact: integers).
  void reduce_sum(std::span<std::int64_t> values) const;
  /// Every rank's `mine` (any length) to rank 0, in rank order; other ranks get an empty result.
  std::vector<std::vector<std::int64_t>> gather(std::span<const std::int64_t> mine) const;
  std::vector<std::vector<double>> gather(std::span<const double> mine) const;
  std::vector<std::vector<float>> gather(std::span<const float> mine) const;
  /// Seconds on a monotonic clock (MPI_Wtime with MPI).
  double wtime() const;
  /// Ends every rank at once (MPI_Abort): for a failure outside all_or_none, never in normal use.
  [[noreturn]] void abort(int status) const;

 private:
  struct Outcome {
    int status = 0;  ///< 0: this rank succeeded
    std::string message;
  };
  static Outcome capture(const std::function<void()>& phase);
  void agree(const Outcome& mine) const;
  /// Rank `from`'s `text` on every rank.
  void broadcast_from(int from, std::string& text) const;
  struct Failing {
    int lowest = 0;    ///< the lowest rank whose `failed` is true, size() when none
    bool all = false;  ///< every rank failed (e.g. the same bad option everywhere)
  };
  /// Which ranks failed, on every rank (one MPI_Allreduce).
  Failing failing(bool failed) const;

  int rank_ = 0, size_ = 1;
  bool uses_mpi_ = false;
  bool initialised_mpi_ = false;
};

/// The contiguous block [begin, end) of `count` items that rank `rank` of `ranks` owns; blocks
/// differ by at most one item, so any count and rank count work (a rank may get none).
struct Block {
  std::size_t begin = 0, end = 0;
  static Block of(std::size_t count, int rank, int ranks) {
    const auto r = static_cast<std::size_t>(rank), p = static_cast<std::size_t>(ranks);
    return {count * r / p, count * (r + 1) / p};
  }
  std::size_t size() const { return end - begin; }
};

}  // namespace snnsim::sim
