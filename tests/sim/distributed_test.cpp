// SPDX-License-Identifier: MIT
// The Communicator's launch detection and its refusal of several ranks without MPI ("MPI missing
// at run time"), through the injected environment; and the rank blocks any count splits into.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "tests/support/error_of.hpp"

using snnsim::sim::Block;
using snnsim::sim::Launch;
using snnsim::sim::launch_from_environment;

namespace {

Launch launch_with(const std::map<std::string, std::string>& env) {
  return launch_from_environment([&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace

TEST_CASE("launch: OpenMPI's, hydra's and Slurm's variables give the rank and size; none: one process") {
  const Launch none = launch_with({});
  CHECK_FALSE(none.by_mpi_launcher);
  CHECK(none.rank == 0);
  CHECK(none.size == 1);
  const Launch ompi = launch_with({{"OMPI_COMM_WORLD_RANK", "3"}, {"OMPI_COMM_WORLD_SIZE", "4"}});
  CHECK(ompi.by_mpi_launcher);
  CHECK(ompi.rank == 3);
  CHECK(ompi.size == 4);
  const Launch hydra = launch_with({{"PMI_RANK", "1"}, {"PMI_SIZE", "2"}});
  CHECK(hydra.by_mpi_launcher);
  CHECK(hydra.rank == 1);
  CHECK(launch_with({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}}).size == 8);
  // Garbage or inconsistent values are no launch.
  CHECK_FALSE(launch_with({{"OMPI_COMM_WORLD_RANK", "x"}, {"OMPI_COMM_WORLD_SIZE", "4"}}).by_mpi_launcher);
  CHECK_FALSE(launch_with({{"OMPI_COMM_WORLD_RANK", "4"}, {"OMPI_COMM_WORLD_SIZE", "4"}}).by_mpi_launcher);
}

TEST_CASE("MPI missing at run time: several ranks and a build without MPI is one line naming it") {
  const Launch four{true, 2, 4};
  CHECK(snnsim::test::error_of([&] { snnsim::sim::check_mpi_available(four, false); }) ==
        "mpirun: MPI: expected snnsim built with -DSNNSIM_WITH_MPI=ON to run 4 ranks, got a build without MPI");
  CHECK_NOTHROW(snnsim::sim::check_mpi_available(four, true));
  CHECK_NOTHROW(snnsim::sim::check_mpi_available({true, 0, 1}, false));  // mpirun -np 1: one process anyway
  CHECK_NOTHROW(snnsim::sim::check_mpi_available({}, false));
}

TEST_CASE("rank blocks: contiguous, in rank order, sizes differing by at most one, any count") {
  // 10 items over 4 ranks: 2, 3, 2, 3.
  CHECK(Block::of(10, 0, 4).begin == 0);
  CHECK(Block::of(10, 0, 4).end == 2);
  CHECK(Block::of(10, 1, 4).end == 5);
  CHECK(Block::of(10, 2, 4).end == 7);
  CHECK(Block::of(10, 3, 4).end == 10);
  // Fewer items than ranks: some ranks get none.
  CHECK(Block::of(3, 0, 4).size() == 0);
  CHECK(Block::of(3, 3, 4).size() == 1);
  std::size_t total = 0;
  for (int r = 0; r < 4; ++r) total += Block::of(3, r, 4).size();
  CHECK(total == 3);
}

TEST_CASE("one process: all_or_none passes results through and turns failures into one agreed Failure") {
  const snnsim::sim::Communicator comm(Launch{});
  CHECK(comm.size() == 1);
  CHECK_FALSE(comm.uses_mpi());
  CHECK(comm.all_or_none([] { return 42; }) == 42);
  try {
    comm.all_or_none([] { throw snnsim::Error("in.h5", "x", "1", "2"); });
    FAIL("no failure");
  } catch (const snnsim::sim::Failure& f) {
    CHECK(f.status() == 2);
    CHECK(std::string(f.what()) == "in.h5: x: expected 1, got 2");
  }
  try {
    comm.all_or_none([] { throw std::logic_error("bug"); });
    FAIL("no failure");
  } catch (const snnsim::sim::Failure& f) {
    CHECK(f.status() == 3);
    CHECK(std::string(f.what()) == "internal error: bug");
  }
}
