// SPDX-License-Identifier: MIT
// The run report (sim/report): its figures against the counters and hand computations, its CSV
// tables and HTML page, its checks of a run JSON, and the CLI's errors (exit 2, nothing written).
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include "models/lmuformer/lmuformer.hpp"
#include "sim/error.hpp"
#include "sim/report/html_report.hpp"
#include "sim/report/run_report.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/golden.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;
using nlohmann::json;

namespace {

constexpr std::size_t kImages = 8;

struct Run {
  sim::RunTotals totals;
  json report;
};

const Run& run() {
  static const Run r = [] {
    const sim::Network& net = *test::golden_lmuformer().network;
    const auto compiled = test::registries().backends.get("cpu_event", "test", "backend").compile(net, {});
    report::RunCollector collector(net, kImages, {.per_image = true, .raster_images = 2});
    sim::RunOptions options = collector.run_options(0);
    options.threads = 2;
    Run out;
    out.totals = sim::run_trials(net, *compiled, test::GoldenTrials(kImages), options,
                                 [&](std::size_t i, const sim::TrialRecord& rec) { collector.add_trial(i, rec); });
    report::Provenance p{.snnsim_version = "test", .backend = "cpu_event", .threads = 2, .model = test::golden_model(),
                         .model_sha256 = "00", .data = "golden inputs", .command = "test"};
    out.report = report::build_run_report(
        {net, out.totals, collector, sim::builtin_energy_tables(std::string(SNNSIM_SOURCE_DIR) + "/sim/energy_tables"), p});
    return out;
  }();
  return r;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct Cli {
  int status = -1;
  std::string out, err;
};

Cli cli(const std::string& args) {
  test::TempDir dir("cli");
  const std::string cmd = std::string(SNNSIM_BINARY) + " " + args + " > " + (dir / "out").string() + " 2> " +
                          (dir / "err").string();
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

std::string validation_error(const json& j) {
  return test::error_of([&] { report::validate_run_report(j, "run.json"); });
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the report's totals are the backend's counters; per-layer figures sum to them") {
  const json& r = run().report;
  const sim::OpCounts all = run().totals.counters.total();
  const json& t = r["summary"]["totals"];
  CHECK(t["acs"] == all.acs);
  CHECK(t["macs"] == all.macs);
  CHECK(t["synops"] == all.acs + all.macs);
  CHECK(t["adds"] == all.adds);
  CHECK(t["neuron_updates"] == 50204 * 8);
  CHECK(t["dense_ops"] == 11348480LL * 8);
  CHECK(t["dense_synops"].get<std::int64_t>() + t["dense_adds"].get<std::int64_t>() == all.dense_ops + (t["adds"].get<std::int64_t>() - 32256 * 8));
  CHECK(r["summary"]["per_image"]["neuron_updates"] == 50204.0);
  std::int64_t spikes = 0, acs = 0, macs = 0;
  for (const json& p : r["populations"]) {
    spikes += p["totals"]["spikes"].get<std::int64_t>();
    acs += p["totals"]["acs"].get<std::int64_t>();
    macs += p["totals"]["macs"].get<std::int64_t>();
  }
  CHECK(spikes == all.spikes);
  CHECK(acs == all.acs);
  CHECK(macs == all.macs);
  // Per-image counters (--per-sample) sum to the run's totals.
  std::int64_t image_acs = 0, image_macs = 0, image_spikes = 0;
  for (const json& im : r["per_image"]) {
    image_acs += im["ops"]["acs"].get<std::int64_t>();
    image_macs += im["ops"]["macs"].get<std::int64_t>();
    image_spikes += im["ops"]["spikes"].get<std::int64_t>();
  }
  CHECK(r["per_image"].size() == kImages);
  CHECK(image_acs == all.acs);
  CHECK(image_macs == all.macs);
  CHECK(image_spikes == all.spikes);
  // MACs all come from the pixels into the first convolution, attributed to the input.
  CHECK(r["populations"][0]["name"] == "input");
  CHECK(r["populations"][0]["totals"]["macs"] == all.macs);
  // A spiking layer's synops are its spikes times its fan-out, edges excepted: fc1_lif feeds the
  // 1x1 fc1_conv with 512 outputs.
  for (const json& p : r["populations"])
    if (p["name"] == "block.0.mlp.fc1_lif") CHECK(p["totals"]["acs"] == 512 * p["totals"]["spikes"].get<std::int64_t>());
}

TEST_CASE("sparsity: firing rate, activation sparsity and silent neurons") {
  const json& r = run().report;
  const json& s = r["summary"];
  const double possible = 8.0 * 1793 * 28;
  CHECK(s["firing_rate"].get<double>() == doctest::Approx(s["totals"]["spikes"].get<double>() / possible).epsilon(1e-12));
  CHECK(s["activation_sparsity"].get<double>() == doctest::Approx(1.0 - s["firing_rate"].get<double>()).epsilon(1e-12));
  // f_u is one neuron: silent in an image exactly when it has no spike there.
  for (const json& p : r["populations"]) {
    if (p["name"] != "block.0.attn.lmu.f_u") continue;
    std::int64_t silent_images = 0;
    for (const json& im : r["per_image"]) silent_images += im["spikes"]["block.0.attn.lmu.f_u"] == 0;
    CHECK(p["silent_fraction_per_image"].get<double>() == doctest::Approx(static_cast<double>(silent_images) / 8.0));
    const auto rate = p["per_step"]["firing_rate"].get<std::vector<double>>();
    const auto per_step = p["per_step"]["spikes"].get<std::vector<double>>();
    for (std::size_t t = 0; t < rate.size(); ++t) CHECK(rate[t] == doctest::Approx(per_step[t] / 8.0));
  }
}

TEST_CASE("energy per image equals the hand computation from the per-image counts") {
  const json& r = run().report;
  const json& pi = r["summary"]["per_image"];
  const auto v = [&](const char* k) { return pi[k].get<double>(); };
  const json& h = r["energy"][0];
  REQUIRE(h["table"]["name"] == "45nm");
  CHECK(h["per_image_pj"]["total"].get<double>() ==
        doctest::Approx(v("acs") * 0.9 + v("macs") * 4.6 + v("adds") * 0.9).epsilon(1e-12));
  CHECK(h["dense_ann_per_image_pj"].get<double>() ==
        doctest::Approx(v("dense_synops") * 4.6 + v("dense_adds") * 0.9).epsilon(1e-12));
  const json& l = r["energy"][1];
  REQUIRE(l["table"]["name"] == "loihi1");
  CHECK(l["per_image_pj"]["total"].get<double>() ==
        doctest::Approx((v("acs") + v("macs")) * 23.6 + 50204 * 81.0 + v("spikes") * 1.7).epsilon(1e-12));
  CHECK(l["dense_ann_over_snn"].get<double>() ==
        doctest::Approx(l["dense_ann_per_image_pj"].get<double>() / l["per_image_pj"]["total"].get<double>()));
  double layers = 0;
  for (const json& e : h["per_layer_pj"]) layers += e["total"].get<double>();
  CHECK(layers == doctest::Approx(h["per_image_pj"]["total"].get<double>()).epsilon(1e-12));
}

TEST_CASE("the report validates; a bad run JSON names the field") {
  const json& r = run().report;
  CHECK(validation_error(r).empty());
  json bad = r;
  bad["format"] = "other";
  CHECK(validation_error(bad) == "run.json: format: expected \"snnsim-run-v1\", got the string \"other\"");
  bad = r;
  bad["summary"]["per_image"].erase("synops");
  CHECK(validation_error(bad) == "run.json: summary.per_image.synops: expected a value, got nothing (missing)");
  bad = r;
  bad["populations"][3]["per_step"]["spikes"] = json::array({1, 2});
  CHECK(validation_error(bad) == "run.json: populations[3].per_step.spikes: expected an array of 28, got an array of 2");
  bad = r;
  bad["energy"][1]["per_image_pj"]["ac"] = -1;
  CHECK(validation_error(bad) == "run.json: energy[1].per_image_pj.ac: expected a non-negative number, got the number -1");
  CHECK(validation_error(json::array()) == "run.json: expected a JSON object (snnsim run --json), got an array of 0");
}

TEST_CASE("HTML: every plot present with marks; rasters of chosen layers and images; unknown ones are errors") {
  const json& r = run().report;
  const std::string html = report::render_html(r, {}, "snnsim report");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no fetched resource
  CHECK(html.find("https://") == std::string::npos);
  for (const char* id : {"bars-spikes", "bars-synops", "bars-energy-0", "bars-energy-1", "lines-firing-rate",
                         "lines-sparsity", "lines-synops", "raster-0"})
    CHECK(html.find(std::string("data-plot=\"") + id + "\"") != std::string::npos);
  CHECK(count(html, "<svg class=\"plot\"") == 8);
  CHECK(html.find("data-marks=\"0\"") == std::string::npos);
  // Image 0's raster holds every spike of image 0.
  const std::int64_t spikes0 = r["per_image"][0]["ops"]["spikes"];
  CHECK(html.find("id=\"raster-0\" data-plot=\"raster-0\" data-marks=\"" + std::to_string(spikes0) + "\"") != std::string::npos);

  const std::string two = report::render_html(r, {{"head_lif", "block.0.attn.lmu.f_u"}, {0, 1}}, "snnsim report");
  CHECK(count(two, "<svg class=\"plot\"") == 9);
  CHECK(two.find("head_lif (128)") != std::string::npos);
  CHECK(two.find("patch_embed.proj_lif (128)") == std::string::npos);

  CHECK(test::error_of([&] { (void)report::render_html(r, {{"head"}, {}}, "snnsim report"); }) ==
        "snnsim report: --raster-layers: expected spiking layers of the run (patch_embed.proj_lif, patch_embed.proj_lif1, "
        "patch_embed.proj_lif2, patch_embed.proj_lif3, block.0.attn.prev_lif, block.0.attn.lmu.f_u, block.0.attn.lmu.f_m, "
        "block.0.attn.lmu.f_h, block.0.mlp.fc1_lif, block.0.mlp.fc2_lif, head_lif), got unknown layer \"head\"");
  CHECK(test::error_of([&] { (void)report::render_html(r, {{}, {5}}, "snnsim report"); }) ==
        "snnsim report: --raster-images: expected images with a recorded raster (0, 1), got image 5");
}

TEST_CASE("CSV tables carry the report's figures") {
  test::TempDir dir("csv");
  const auto files = report::write_run_csv(dir / "tables", run().report);
  CHECK(files.size() == 7);
  const std::string layers = slurp(dir / "tables" / "layers.csv");
  CHECK(layers.rfind("population,layer,kind,size,spikes_per_image,firing_rate,activation_sparsity,silent_fraction,"
                     "silent_fraction_per_image,neuron_updates_per_image,state_updates_per_image,acs_per_image,macs_per_image,"
                     "synops_per_image,adds_per_image,dense_ops_per_image,executed_ops_per_image,dense_synops_per_image,"
                     "dense_adds_per_image\n",
                     0) == 0);
  CHECK(count(layers, "\n") == 1 + test::golden_lmuformer().network->population_count());
  const std::string steps = slurp(dir / "tables" / "layer_steps.csv");
  CHECK(count(steps, "\n") == 1 + test::golden_lmuformer().network->population_count() *
                                           static_cast<std::size_t>(test::golden_lmuformer().config.steps));
  const std::string energy = slurp(dir / "tables" / "energy.csv");
  CHECK(energy.find("\n45nm,") != std::string::npos);
  CHECK(energy.find("\nloihi1,") != std::string::npos);
  CHECK(count(slurp(dir / "tables" / "images.csv"), "\n") == 1 + kImages);
}

TEST_CASE("CLI: bad energy table, unreadable run JSON, unknown raster layer: one line, exit 2, nothing written") {
  test::TempDir dir("report-cli");
  const std::string table = dir.write("bad.toml", "name = \"x\"\ndescription = \"x\"\nsource = \"x\"\n[energy_pj]\nac = 0.9\n"
                                                  "mac = -4.6\nadd = 0\nneuron_update = 0\nspike = 0\n")
                                .string();
  const Cli bad_table = cli("run --first 2 --energy-table " + table + " --json " + (dir / "run.json").string());
  CHECK(bad_table.status == 2);
  CHECK(bad_table.err == "snnsim: " + table + ": energy_pj.mac: expected a non-negative number of picojoules, got -4.6\n");
  CHECK(!std::filesystem::exists(dir / "run.json"));

  const std::string garbage = dir.write("garbage.json", "{\"format\": ").string();
  const Cli bad_json = cli("report " + garbage + " -o " + (dir / "r.html").string());
  CHECK(bad_json.status == 2);
  CHECK(bad_json.err == "snnsim: " + garbage + ": byte 12: expected valid JSON, got a syntax error\n");
  CHECK(!std::filesystem::exists(dir / "r.html"));

  const std::string old = dir.write("old.json", "{\"format\": \"snnsim-run-v0\"}").string();
  const Cli bad_format = cli("report " + old + " -o " + (dir / "r.html").string());
  CHECK(bad_format.status == 2);
  CHECK(bad_format.err == "snnsim: " + old + ": format: expected \"snnsim-run-v1\", got the string \"snnsim-run-v0\"\n");

  const Cli good = cli("run --first 3 --threads 1 --rasters 2 --json " + (dir / "run.json").string() + " --csv " +
                       (dir / "csv").string());
  REQUIRE(good.status == 0);
  CHECK(good.out.find("ops/image") != std::string::npos);
  CHECK(good.out.find("energy    45nm") != std::string::npos);
  const Cli unknown = cli("report " + (dir / "run.json").string() + " -o " + (dir / "r.html").string() +
                          " --raster-layers head_lif,nope");
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("--raster-layers: expected spiking layers of the run (") != std::string::npos);
  CHECK(unknown.err.find("got unknown layer \"nope\"\n") != std::string::npos);
  CHECK(count(unknown.err, "\n") == 1);
  CHECK(!std::filesystem::exists(dir / "r.html"));

  const Cli ok = cli("report " + (dir / "run.json").string() + " -o " + (dir / "r.html").string() +
                     " --raster-layers head_lif --raster-images 0,1");
  CHECK(ok.status == 0);
  CHECK(count(slurp(dir / "r.html"), "<svg class=\"plot\"") == 9);
  CHECK(std::filesystem::exists(dir / "csv" / "projection_steps.csv"));
}
