// SPDX-License-Identifier: MIT
// Regression (found by fuzz_run_report): a run report whose raster lacked one spiking layer passed
// validation, and `snnsim report` then died of nlohmann::json's out_of_range drawing that layer
// ("internal error", exit 3). Reviewing what else the renderer read unchecked found a mesh of 0
// cores per tile (a division by zero), core positions far outside the mesh (integer overflow) and
// counts such as steps = 1e300 (a float-to-integer conversion out of range). The validator now
// checks every field the renderer reads.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/report/run_report.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;
using nlohmann::json;

namespace {

/// `snnsim run --first 1` on the Loihi backend (its report carries the core mapping), with a raster.
const json& loihi_report() {
  static const json report = [] {
    const test::TempDir dir("reg-report");
    const auto path = dir / "run.json";
    const test::CliResult r =
        test::run_cli("run --first 1 --threads 1 --backend loihi --rasters 1 --json " + path.string());
    REQUIRE(r.status == 0);
    return json::parse(test::slurp(path));
  }();
  return report;
}

std::string report_error(const test::TempDir& dir, const json& report) {
  const auto path = dir.write("run.json", report.dump());
  return test::error_of([&] { (void)report::read_run_report(path); });
}

}  // namespace

TEST_CASE("regression: a raster without one of the spiking layers is refused by the validator") {
  const test::TempDir dir("reg-report");
  const std::string file = (dir / "run.json").string() + ": ";
  CHECK(report_error(dir, loihi_report()).empty());
  json bad = loihi_report();
  bad["rasters"][0]["layers"].erase("block.0.mlp.fc1_lif");
  CHECK(report_error(dir, bad) == file + "rasters[0].layers.block.0.mlp.fc1_lif: expected a value, got nothing (missing)");
}

TEST_CASE("regression: the fields the report draws with are checked (mesh, core positions, counts)") {
  const test::TempDir dir("reg-report");
  const std::string file = (dir / "run.json").string() + ": ";
  const std::string details = "provenance.backend_details";
  json bad = loihi_report();
  bad["provenance"]["backend_details"]["mesh"]["cores_per_tile"] = 0;
  CHECK(report_error(dir, bad) ==
        file + details + ".mesh: expected 1 to 1048576 tiles of 1 to 64 cores, got 1 chips x 8 x 4 tiles of 0 cores");
  bad = loihi_report();
  bad["provenance"]["backend_details"]["cores"][2]["tile_x"] = 1 << 30;
  CHECK(report_error(dir, bad) ==
        file + details + ".cores[2].tile_x: expected a whole number in [0, 7], got the number 1073741824");
  bad = loihi_report();
  bad["steps"] = 1e300;
  CHECK(report_error(dir, bad) == file + "steps: expected a whole number in [0, 9007199254740992], got the number 1e+300");
  bad = loihi_report();
  bad["model"]["populations"][0]["size"] = "many";
  CHECK(report_error(dir, bad) ==
        file + "model.populations[0].size: expected a whole number in [0, 9007199254740992], got the string \"many\"");
}
