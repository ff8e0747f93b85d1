// SPDX-License-Identifier: MIT
// Energy tables (sim/energy_tables/*.toml) and the energy of operation counts, by hand.
#include <doctest/doctest.h>

#include "sim/energy.hpp"
#include "sim/error.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

const std::string kTables = std::string(SNNSIM_SOURCE_DIR) + "/sim/energy_tables";

std::string error_of(const std::string& text) {
  return test::error_of([&] { (void)sim::parse_energy_table(text, "t.toml"); });
}

const char* kGood = R"(name = "mine"
description = "my chip"
source = "my measurements"
[energy_pj]
ac = 1.5
mac = 6
add = 0.5
neuron_update = 10
spike = 2
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("the shipped tables hold the published figures") {
  const std::vector<sim::EnergyTable> tables = sim::builtin_energy_tables(kTables);
  REQUIRE(tables.size() == 2);
  const sim::EnergyTable& h = tables[0];
  CHECK(h.name == "45nm");
  CHECK(h.source.find("Horowitz") != std::string::npos);
  CHECK(h.ac_pj == 0.9);
  CHECK(h.mac_pj == 4.6);
  CHECK(h.add_pj == 0.9);
  CHECK(h.neuron_update_pj == 0.0);
  CHECK(h.spike_pj == 0.0);
  const sim::EnergyTable& l = tables[1];
  CHECK(l.name == "loihi1");
  CHECK(l.source.find("Davies") != std::string::npos);
  CHECK(l.ac_pj == 23.6);
  CHECK(l.mac_pj == 23.6);
  CHECK(l.add_pj == 0.0);
  CHECK(l.neuron_update_pj == 81.0);
  CHECK(l.spike_pj == 1.7);
}

TEST_CASE("energy of counts equals the hand computation") {
  const std::vector<sim::EnergyTable> tables = sim::builtin_energy_tables(kTables);
  sim::OpCounts c;
  c.spikes = 10;
  c.neuron_updates = 100;
  c.acs = 1000;
  c.macs = 50;
  c.adds = 20;
  c.dense_ops = 99999;  // not an energy term
  // 45 nm: 1000 x 0.9 + 50 x 4.6 + 20 x 0.9 = 900 + 230 + 18 = 1148 pJ.
  const sim::Energy h = sim::energy_of(c, tables[0]);
  CHECK(h.ac == doctest::Approx(900.0).epsilon(1e-15));
  CHECK(h.mac == doctest::Approx(230.0).epsilon(1e-15));
  CHECK(h.add == doctest::Approx(18.0).epsilon(1e-15));
  CHECK(h.total() == doctest::Approx(1148.0).epsilon(1e-15));
  // Loihi 1: 1000 x 23.6 + 50 x 23.6 + 100 x 81 + 10 x 1.7 = 23600 + 1180 + 8100 + 17 = 32897 pJ.
  const sim::Energy l = sim::energy_of(c, tables[1]);
  CHECK(l.neuron_update == 8100.0);
  CHECK(l.spike == doctest::Approx(17.0).epsilon(1e-15));
  CHECK(l.total() == doctest::Approx(32897.0).epsilon(1e-15));
  // Dense ANN: 11,348,480 dense synops as MACs + 68,404 adds at 45 nm.
  CHECK(sim::dense_ann_energy(11348480, 68404, tables[0]) == doctest::Approx(11348480 * 4.6 + 68404 * 0.9).epsilon(1e-15));
}

TEST_CASE("a user table is read; a bad one is one error line naming file, field, expected and got") {
  const sim::EnergyTable t = sim::parse_energy_table(kGood, "t.toml");
  CHECK(t.name == "mine");
  CHECK(t.mac_pj == 6.0);
  CHECK(t.file == "t.toml");

  CHECK(error_of(replaced(kGood, "mac = 6\n", "")) ==
        "t.toml: energy_pj.mac: expected a non-negative number of picojoules, got nothing (missing)");
  CHECK(error_of(replaced(kGood, "ac = 1.5", "ac = -0.9")) ==
        "t.toml: energy_pj.ac: expected a non-negative number of picojoules, got -0.9");
  CHECK(error_of(replaced(kGood, "spike = 2", "spike = \"2 pJ\"")) ==
        "t.toml: energy_pj.spike: expected a non-negative number of picojoules, got a string");
  CHECK(error_of(replaced(kGood, "spike = 2", "spike = 2\nsynop = 3")) ==
        "t.toml: energy_pj.synop: expected one of ac, mac, add, neuron_update, spike, got an unknown entry");
  CHECK(error_of(replaced(kGood, "source = \"my measurements\"\n", "")) ==
        "t.toml: source: expected a non-empty string, got nothing (missing)");
  CHECK(error_of(replaced(kGood, "[energy_pj]", "[energies]")) ==
        "t.toml: energy_pj: expected a table of energies per operation, got nothing (missing)");
  CHECK(error_of("name = \n") == "t.toml: line 1: expected valid TOML, got Error while parsing key-value pair: expected value, saw '\\n'");

  test::TempDir dir("energy");
  CHECK(test::error_of([&] { (void)sim::load_energy_table(dir / "missing.toml"); }) ==
        (dir / "missing.toml").string() + ": expected a readable energy table (TOML), got a file that cannot be opened");
}
