// SPDX-License-Identifier: MIT
// The snnsim command line as a user meets it: exit codes, one-line errors, reports, and results
// that do not depend on the thread count.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

struct Result {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

Result run_cli(const std::string& args) {
  snnsim::test::TempDir dir("cli");
  const std::string cmd = std::string(SNNSIM_BINARY) + " " + args + " > " + (dir.path() / "out").string() + " 2> " +
                          (dir.path() / "err").string();
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir.path() / "out"), slurp(dir.path() / "err")};
}

}  // namespace

TEST_CASE("snnsim run gives the same per-image results with 1 and 2 threads") {
  snnsim::test::TempDir dir("run");
  const auto one = dir.path() / "one.json", two = dir.path() / "two.json";
  const Result r1 = run_cli("run --first 96 --threads 1 --per-sample --json " + one.string());
  const Result r2 = run_cli("run --first 96 --threads 2 --per-sample --json " + two.string());
  REQUIRE(r1.status == 0);
  REQUIRE(r2.status == 0);
  const auto j1 = nlohmann::json::parse(slurp(one)), j2 = nlohmann::json::parse(slurp(two));
  CHECK(j1["per_image"] == j2["per_image"]);
  CHECK(j1["populations"] == j2["populations"]);
  CHECK(j1["projections"] == j2["projections"]);
  CHECK(j1["energy"] == j2["energy"]);
  CHECK(j1["rasters"] == j2["rasters"]);
  CHECK(j1["images"] == 96);
  CHECK(j1["provenance"]["threads"] == 1);
  CHECK(j2["provenance"]["threads"] == 2);
  // The first 96 test images include 7 of the 9 fragile golden samples' neighbours; accuracy is
  // whatever the reference gives: image 0 is an ankle boot (label 9) predicted as 9.
  CHECK(j1["per_image"][0]["label"] == 9);
  CHECK(j1["per_image"][0]["pred"] == 9);
  CHECK(r1.out.find("accuracy") != std::string::npos);
}

TEST_CASE("snnsim verify passes on the shipped model with both backends") {
  for (const char* backend : {"cpu_event", "dense_reference"}) {
    const Result r = run_cli(std::string("verify --threads 2 --backend ") + backend);
    CAPTURE(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("247/247 robust samples match") != std::string::npos);
  }
}

TEST_CASE("bad command lines: one line on stderr, exit status 2, no output file") {
  snnsim::test::TempDir dir("bad");
  const Result backend = run_cli("run --backend nope --first 1");
  CHECK(backend.status == 2);
  CHECK(backend.err == "snnsim: snnsim run: --backend: expected one of the backends " +
                           snnsim::test::registries().backends.joined_names() + ", got 'nope'\n");
  const Result model = run_cli("run --model /nonexistent/model.h5");
  CHECK(model.status == 2);
  CHECK(model.err == "snnsim: /nonexistent/model.h5: expected a readable HDF5 file, got no such file\n");
  const Result data = run_cli("run --first 1 --data " + dir.path().string());
  CHECK(data.status == 2);
  CHECK(data.err == "snnsim: " + (dir.path() / "t10k-images-idx3-ubyte.gz").string() +
                        ": expected a readable IDX file, got no such file\n");
  const Result option = run_cli("run --frist 3");
  CHECK(option.status == 2);
  CHECK(option.err.find("--frist") != std::string::npos);
  CHECK(std::count(option.err.begin(), option.err.end(), '\n') == 1);
  const auto missing_folder = dir.path() / "no" / "run.json";
  const Result json = run_cli("run --first 2 --json " + missing_folder.string());
  CHECK(json.status == 2);
  CHECK(json.err == "snnsim: " + missing_folder.string() + ": expected an existing folder, got no folder " +
                        (dir.path() / "no").string() + "\n");
  CHECK_FALSE(std::filesystem::exists(missing_folder));
}

TEST_CASE("snnsim list names every registered neuron model, layer kind and backend") {
  const Result r = run_cli("list");
  REQUIRE(r.status == 0);
  for (const std::string& name : snnsim::test::registries().backends.names()) CHECK(r.out.find(name) != std::string::npos);
  for (const std::string& name : snnsim::test::registries().layers.names()) CHECK(r.out.find(name) != std::string::npos);
  for (const std::string& name : snnsim::test::registries().neurons.names()) CHECK(r.out.find(name) != std::string::npos);
}
