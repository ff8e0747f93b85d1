// SPDX-License-Identifier: MIT
// Distributed runs (issue 9): the real snnsim binary under `mpirun -np 1/2/4` (4 ranks on the
// 2-core CI machine with --oversubscribe) gives byte for byte the single-process spike files,
// counters and reports, on Brian2's CUBA and feed-forward networks (network-parallel) and on the
// LMUFormer (data-parallel, an image count the ranks do not divide). Bad input under mpirun: one
// line naming what failed, every rank exits with status 2, no output file.
//
// Masked before comparing (they describe the run, not its results): wall_seconds, threads, the
// "mpi" object of `run --network --json`; provenance.created_utc (a timestamp),
// provenance.mpi_ranks and provenance.command (it names each run's output files) of the LMUFormer
// report; and the stdout lines "time", "mpi", "backend" and "spikes <file>" (timings, rank and
// thread counts, this run's file name).
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/report/sha256.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/registries.hpp"

namespace fs = std::filesystem;
using snnsim::test::CliResult;
using snnsim::test::slurp;
using snnsim::test::TempDir;

namespace {

/// OpenMPI refuses root unless told (CI runs as root); -q: no mpirun banners on a non-zero exit.
const std::string kMpirun = std::string("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ") +
                            SNNSIM_MPIEXEC + " -q --oversubscribe";

CliResult shell(const std::string& command) {
  const TempDir dir("mpi-cli");
  const std::string cmd = command + " > " + (dir / "out").string() + " 2> " + (dir / "err").string();
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

/// `snnsim <args>` alone (ranks 0) or under `mpirun -np <ranks>`.
CliResult run_snnsim(int ranks, const std::string& args) {
  if (ranks == 0) return shell(std::string(SNNSIM_BINARY) + " " + args);
  return shell(fmt::format("{} -np {} {} {}", kMpirun, ranks, SNNSIM_BINARY, args));
}

/// Two ranks with different arguments (mpirun's MPMD form), each rank's exit status written to
/// <dir>/status.<rank> (mpirun itself reports only the first failure).
CliResult two_ranks(const TempDir& dir, const std::string& args0, const std::string& args1) {
  auto rank = [&](const std::string& args) {
    return fmt::format("-np 1 sh -c '{} {}; echo $? > {}/status.$OMPI_COMM_WORLD_RANK'", SNNSIM_BINARY, args,
                       dir.path().string());
  };
  return shell(fmt::format("{} {} : {}", kMpirun, rank(args0), rank(args1)));
}

std::string status_of(const TempDir& dir, int rank) {
  std::string s = slurp(dir / fmt::format("status.{}", rank));
  s.erase(std::remove(s.begin(), s.end(), '\n'), s.end());
  return s;
}

std::string without_lines(const std::string& text, std::initializer_list<const char*> prefixes) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    bool drop = false;
    for (const char* p : prefixes) drop = drop || line.rfind(p, 0) == 0;
    if (!drop) out += line + "\n";
  }
  return out;
}

std::string network_results(const fs::path& json) {
  nlohmann::json j = nlohmann::json::parse(slurp(json));
  for (const char* run_specific : {"wall_seconds", "threads", "mpi"}) j.erase(run_specific);
  return j.dump(1);
}

std::string lmuformer_results(const fs::path& json) {
  nlohmann::json j = nlohmann::json::parse(slurp(json));
  j.erase("wall_seconds");
  j["provenance"].erase("created_utc");
  j["provenance"].erase("mpi_ranks");
  j["provenance"].erase("command");  // names this run's output files
  return j.dump(1);
}

struct NetworkRun {
  std::string stdout_text, spikes, results;
};

NetworkRun run_network(const TempDir& dir, const std::string& net, int ranks, int threads) {
  const fs::path csv = dir / fmt::format("s{}-{}.csv", ranks, threads), json = dir / fmt::format("s{}-{}.json", ranks, threads);
  const CliResult r = run_snnsim(ranks, fmt::format("run --network {} --threads {} --spikes {} --json {}", net, threads,
                                                csv.string(), json.string()));
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(r.err.empty());
  return {without_lines(r.out, {"time", "mpi", "backend", "spikes "}), slurp(csv), network_results(json)};
}

/// Single process (2 threads) against mpirun -np 1 (2 threads), -np 2 and -np 4 (1 thread each),
/// or the given (ranks, threads) runs. `brian2_spikes`: Brian2's own spike total, when it has one.
void check_network_identical(const std::string& net, std::optional<std::int64_t> brian2_spikes,
                             std::initializer_list<std::pair<int, int>> runs = {{1, 2}, {2, 1}, {4, 1}}) {
  const TempDir dir("mpi-net");
  const NetworkRun alone = run_network(dir, net, 0, 2);
  for (const std::pair<int, int>& run : runs) {
    const int ranks = run.first;
    CAPTURE(ranks);
    const NetworkRun distributed = run_network(dir, net, ranks, run.second);
    CHECK(distributed.spikes == alone.spikes);
    CHECK(distributed.results == alone.results);
    CHECK(distributed.stdout_text == alone.stdout_text);
  }
  // Real activity: one CSV line per spike plus the header, and the counters agree with it.
  const std::int64_t spikes = nlohmann::json::parse(alone.results).at("spikes").get<std::int64_t>();
  REQUIRE(spikes > 0);
  CHECK(std::count(alone.spikes.begin(), alone.spikes.end(), '\n') == spikes + 1);
  if (brian2_spikes) CHECK(spikes == *brian2_spikes);
}

}  // namespace

TEST_CASE("CUBA over 1, 2 and 4 ranks: the single-process spike file and counters, byte for byte") {
  check_network_identical(snnsim::test::brian2_peer("cuba.h5"), 24065);  // Brian2's raster has 24,065 spikes
}

TEST_CASE("feed-forward chain over 1, 2 and 4 ranks: the single-process spike file and counters, byte for byte") {
  // ff is built to be sensitive to the order of additions in its deep layers: the strict check.
  // Brian2's raster has 159,853 spikes (tests/models/brian2/brian2_h5_test.cpp, with its digest).
  check_network_identical(snnsim::test::brian2_peer("ff.h5"), 159853);
}

TEST_CASE("TOML chain with delays of 10, 5 and 1 steps over 3 ranks (an exchange every step): the same spikes") {
  // No peer simulates this file: the single process is the reference. 3 ranks split 610 neurons unevenly.
  check_network_identical(std::string(SNNSIM_SOURCE_DIR) + "/models/experiment/examples/poisson_chain.toml",
                          std::nullopt, {{3, 1}});
}

TEST_CASE("LMUFormer over 2 and 4 ranks (203 images: uneven blocks): the single-process report, byte for byte") {
  const TempDir dir("mpi-lmu");
  auto run = [&](int ranks) {
    const fs::path json = dir / fmt::format("r{}.json", ranks), csv = dir / fmt::format("csv{}", ranks);
    const CliResult r = run_snnsim(ranks, fmt::format("run --first 203 --threads 1 --per-sample --rasters 5 --json {} --csv {}",
                                                  json.string(), csv.string()));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::string tables;  // every CSV file, in name order
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(csv)) files.push_back(e.path());
    REQUIRE_FALSE(files.empty());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) tables += f.filename().string() + "\n" + slurp(f);
    return std::tuple{without_lines(r.out, {"time", "mpi"}), lmuformer_results(json), tables};
  };
  const auto alone = run(0);
  for (int ranks : {2, 4}) {
    CAPTURE(ranks);
    const auto distributed = run(ranks);
    CHECK(std::get<0>(distributed) == std::get<0>(alone));
    CHECK(std::get<1>(distributed) == std::get<1>(alone));
    CHECK(std::get<2>(distributed) == std::get<2>(alone));
  }
  const auto j = nlohmann::json::parse(std::get<1>(alone));
  CHECK(j.at("per_image").size() == 203);
  CHECK(j.at("rasters").size() == 5);
  CHECK(j.at("accuracy").at("images").get<int>() == 203);
}

TEST_CASE("LMUFormer with more ranks than images (3 images, 4 ranks): the single-process report") {
  const TempDir dir("mpi-lmu-few");
  auto run = [&](int ranks) {
    const fs::path json = dir / fmt::format("r{}.json", ranks);
    const CliResult r = run_snnsim(ranks, fmt::format("run --first 3 --threads 1 --per-sample --json {}", json.string()));
    REQUIRE_MESSAGE(r.status == 0, r.err);
    return lmuformer_results(json);
  };
  const std::string alone = run(0);
  CHECK(run(4) == alone);
  CHECK(nlohmann::json::parse(alone).at("per_image").size() == 3);
}

TEST_CASE("bench --network under mpirun: per-rank compute, communication and waiting, every 11 steps") {
  const TempDir dir("mpi-bench");
  const fs::path json = dir / "bench.json";
  const CliResult r = run_snnsim(
      2, fmt::format("bench --network {} --runs 1 --json {}", snnsim::test::brian2_peer("cuba.h5"), json.string()));
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(r.out.find("mpi: 2 ranks x 1 threads, spikes exchanged every 11 steps") != std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  const nlohmann::json& ranks = j.at("mpi").at("per_rank");
  REQUIRE(ranks.size() == 2);
  double sent = 0;
  for (const nlohmann::json& q : ranks) {
    // 10,000 steps; Brian2's 10-step delay is delivered after the update of step s + 10, i.e.
    // before snnsim's update of step s + 11: D = 11, ceil(10000 / 11) = 910 exchanges.
    CHECK(q.at("exchanges").get<double>() == 910);
    sent += q.at("spikes_sent").get<double>();
    CHECK(q.at("compute_s").get<double>() > 0);
  }
  // Every spike is sent once by its owner and received by every rank.
  CHECK(sent == 24065);
  CHECK(ranks[0].at("spikes_received").get<double>() == 24065);
  CHECK(ranks[1].at("spikes_received").get<double>() == 24065);
  CHECK(j.at("spikes").get<std::int64_t>() == 24065);
}

TEST_CASE("bad input under mpirun: one line naming what failed, every rank exits 2, no output") {
  const TempDir dir("mpi-bad");
  const std::string cuba = snnsim::test::brian2_peer("cuba.h5"), ff = snnsim::test::brian2_peer("ff.h5");
  const std::string missing = (dir / "missing.h5").string(), out = (dir / "spikes.csv").string();

  SUBCASE("a rank fails to open its input file") {
    const CliResult r = two_ranks(dir, "run --network " + cuba + " --spikes " + out,
                                  "run --network " + missing + " --spikes " + out);
    CHECK(r.err == "snnsim: rank 1 of 2: " + missing + ": expected a network file, got no such file\n");
    CHECK(status_of(dir, 0) == "2");
    CHECK(status_of(dir, 1) == "2");
    CHECK_FALSE(fs::exists(out));
  }
  SUBCASE("ranks read different network files") {
    const CliResult r = two_ranks(dir, "run --network " + cuba + " --spikes " + out, "run --network " + ff + " --spikes " + out);
    CHECK(r.err == fmt::format("snnsim: rank 1 of 2: {}: sha256 of the file: expected the same on every rank as on rank "
                               "0 ({}), got {}\n",
                               ff, snnsim::report::file_sha256(cuba).substr(0, 16), snnsim::report::file_sha256(ff).substr(0, 16)));
    CHECK(status_of(dir, 0) == "2");
    CHECK(status_of(dir, 1) == "2");
    CHECK_FALSE(fs::exists(out));
  }
  SUBCASE("ranks were given different seeds") {
    const CliResult r = two_ranks(dir, "run --network " + cuba + " --seed 1 --spikes " + out,
                                  "run --network " + cuba + " --seed 2 --spikes " + out);
    CHECK(r.err == "snnsim: rank 1 of 2: " + cuba +
                       ": options: expected the same on every rank as on rank 0 (seed 1, backend cpu_event), got seed 2, "
                       "backend cpu_event\n");
    CHECK(status_of(dir, 0) == "2");
    CHECK(status_of(dir, 1) == "2");
    CHECK_FALSE(fs::exists(out));
  }
  SUBCASE("LMUFormer ranks were given different image counts") {
    const std::string json = (dir / "run.json").string();
    const CliResult r = two_ranks(dir, "run --first 20 --json " + json, "run --first 10 --json " + json);
    // The first 20 and the first 10 test images: different digests of the loaded images.
    CHECK(r.err.rfind("snnsim: rank 1 of 2: /usr/share/datasets/fashion-mnist: sha256 of the images: expected the "
                      "same on every rank as on rank 0 (",
                      0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(status_of(dir, 0) == "2");
    CHECK(status_of(dir, 1) == "2");
    CHECK_FALSE(fs::exists(json));
  }
  SUBCASE("a command that does not split its work") {
    const CliResult r = run_snnsim(2, "verify");
    CHECK(r.status == 2);
    CHECK(r.err == "snnsim: mpirun: command: expected run or bench with more than one rank, got verify\n");
  }
  SUBCASE("another backend than the distributed engine") {
    const CliResult r = run_snnsim(2, "run --network " + cuba + " --backend dense_reference --spikes " + out);
    CHECK(r.status == 2);
    CHECK(r.err == "snnsim: snnsim run: --backend: expected cpu_event under mpirun (the distributed engine), got "
                   "dense_reference\n");
    CHECK_FALSE(fs::exists(out));
  }
}
