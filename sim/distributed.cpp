// SPDX-License-Identifier: MIT
// What both Communicator implementations share: reading the launch environment, and agreeing on
// failures through the implementation's own broadcast_from and failing.
#include "sim/distributed.hpp"

#include <charconv>
#include <cstring>
#include <exception>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::sim {

namespace {

std::optional<int> int_variable(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* text = getenv(name);
  if (!text) return std::nullopt;
  int value = 0;
  const char* end = text + std::strlen(text);
  const auto [at, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || at != end) return std::nullopt;
  return value;
}

}  // namespace

Launch launch_from_environment(const std::function<const char*(const char*)>& getenv) {
  // (rank, size) variable pairs: OpenMPI's mpirun, MPICH/Intel MPI's hydra (PMI), Slurm's srun.
  static constexpr std::pair<const char*, const char*> kLaunchers[] = {
      {"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"}, {"PMI_RANK", "PMI_SIZE"}, {"SLURM_PROCID", "SLURM_NTASKS"}};
  for (const auto& [rank_name, size_name] : kLaunchers) {
    const std::optional<int> rank = int_variable(getenv, rank_name), size = int_variable(getenv, size_name);
    if (rank && size && *size >= 1 && *rank >= 0 && *rank < *size) return {true, *rank, *size};
  }
  return {};
}

void check_mpi_available(const Launch& launch, bool built_with_mpi) {
  if (launch.by_mpi_launcher && launch.size > 1 && !built_with_mpi)
    throw Error("mpirun", "MPI",
                fmt::format("snnsim built with -DSNNSIM_WITH_MPI=ON to run {} ranks", launch.size),
                "a build without MPI");
}

Communicator::Outcome Communicator::capture(const std::function<void()>& phase) {
  try {
    phase();
    return {};
  } catch (const Failure& f) {
    return {f.status(), f.what()};
  } catch (const Error& e) {
    return {2, e.what()};
  } catch (const std::exception& e) {
    return {3, fmt::format("internal error: {}", e.what())};
  }
}

void Communicator::agree(const Outcome& mine) const {
  const Failing who = failing(mine.status != 0);
  const int failing = who.lowest;
  if (failing == size_) return;
  // The failing rank's status and message, to everyone, as one text "<status> <message>".
  std::string text = rank_ == failing ? fmt::format("{} {}", mine.status, mine.message) : std::string();
  broadcast_from(failing, text);
  const std::size_t space = text.find(' ');
  const int status = std::stoi(text.substr(0, space));
  std::string message = text.substr(space + 1);
  // Name the rank when it matters: not when every rank failed alike (a bad option, a missing file).
  if (!who.all) message = fmt::format("rank {} of {}: {}", failing, size_, message);
  throw Failure(status, message);
}

void Communicator::expect_same(const std::string& value, const std::string& source, const std::string& field) const {
  std::string reference = value;
  broadcast_from(0, reference);
  all_or_none([&] {
    if (value != reference)
      throw Error(source, field, fmt::format("the same on every rank as on rank 0 ({})", reference), value);
  });
}

}  // namespace snnsim::sim
